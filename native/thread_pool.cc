#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tsgan {
namespace {

thread_local bool tls_inside_pool = false;

int DefaultThreads() {
  if (const char* env = std::getenv("TSGAN_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1) return std::min(n, 256);
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

class Pool {
 public:
  explicit Pool(int threads) : threads_(std::max(1, threads)) {
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }
  int threads() const { return threads_; }

  void Run(int64_t num_tasks, const std::function<void(int64_t)>& fn) {
    if (num_tasks <= 0) return;
    if (threads_ == 1 || num_tasks == 1 || tls_inside_pool) {
      for (int64_t t = 0; t < num_tasks; ++t) fn(t);
      return;
    }
    std::lock_guard<std::mutex> run_lock(run_mu_);  // one parallel job at a time
    auto job = std::make_shared<Job>(num_tasks, static_cast<int>(std::min<int64_t>(threads_, num_tasks)));
    job->fn = &fn;
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = job;
      generation_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    tls_inside_pool = true;
    Work(*job, 0);
    tls_inside_pool = false;
    // Wait for the workers to finish the tasks they took.
    while (job->done.load(std::memory_order_acquire) < num_tasks) std::this_thread::yield();
    std::lock_guard<std::mutex> lock(mu_);
    job_.reset();
  }

 private:
  // The tasks are cut into one contiguous range per thread (the caller takes the first): a thread
  // starts on its own range, then helps with the others'. Every task is claimed through its range's
  // atomic counter, so each runs once whoever takes it. Successive kernels split the same way (a
  // ParallelFor over the same length), so each thread mostly reads what it wrote in the kernel
  // before, from its own core's cache: with one shared counter the chunks fell to the threads at
  // random, and half of every tensor crossed cores between kernels.
  struct Job {
    Job(int64_t n, int ranges) : num_tasks(n), parts(ranges), next(new std::atomic<int64_t>[ranges]), end(ranges) {
      for (int k = 0; k < parts; ++k) {
        next[k].store(k * n / parts, std::memory_order_relaxed);
        end[k] = (k + 1) * n / parts;
      }
    }
    const std::function<void(int64_t)>* fn = nullptr;
    const int64_t num_tasks;
    const int parts;
    std::unique_ptr<std::atomic<int64_t>[]> next;
    std::vector<int64_t> end;
    std::atomic<int64_t> done{0};
  };

  static void Work(Job& job, int self) {
    for (int r = 0; r < job.parts; ++r) {
      const int k = (self + r) % job.parts;
      for (;;) {
        const int64_t t = job.next[k].fetch_add(1, std::memory_order_acq_rel);
        if (t >= job.end[k]) break;
        (*job.fn)(t);
        job.done.fetch_add(1, std::memory_order_acq_rel);
      }
    }
  }

  void WorkerLoop(int self) {
    tls_inside_pool = true;
    uint64_t seen = generation_.load(std::memory_order_acquire);
    for (;;) {
      // Spin a little before sleeping: kernels arrive in quick succession during a training step.
      bool woke = false;
      for (int i = 0; i < 20000; ++i) {
        if (generation_.load(std::memory_order_acquire) != seen) { woke = true; break; }
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
      std::unique_lock<std::mutex> lock(mu_);
      if (!woke) cv_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      seen = generation_.load(std::memory_order_acquire);
      if (stop_) return;
      std::shared_ptr<Job> job = job_;
      lock.unlock();
      if (job) Work(*job, self);
    }
  }

  const int threads_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::mutex run_mu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> generation_{0};
  std::shared_ptr<Job> job_;
  bool stop_ = false;
};

std::mutex& PoolMutex() {
  static std::mutex mu;
  return mu;
}
std::unique_ptr<Pool>& PoolSlot() {
  static std::unique_ptr<Pool> pool;
  return pool;
}
Pool& GetPool() {
  std::lock_guard<std::mutex> lock(PoolMutex());
  auto& slot = PoolSlot();
  if (!slot) slot = std::make_unique<Pool>(DefaultThreads());
  return *slot;
}

}  // namespace

int NumThreads() { return GetPool().threads(); }

void SetNumThreads(int n) {
  std::lock_guard<std::mutex> lock(PoolMutex());
  PoolSlot() = std::make_unique<Pool>(n >= 1 ? n : DefaultThreads());
}

void RunTasks(int64_t num_tasks, const std::function<void(int64_t)>& fn) { GetPool().Run(num_tasks, fn); }

void ParallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  Pool& pool = GetPool();
  int64_t max_tasks = (n + grain - 1) / grain;
  int64_t tasks = std::min<int64_t>(max_tasks, pool.threads() * 4);
  if (tasks <= 1 || tls_inside_pool) {
    fn(0, n);
    return;
  }
  int64_t chunk = (n + tasks - 1) / tasks;
  pool.Run(tasks, [&](int64_t t) {
    int64_t b = t * chunk, e = std::min(n, b + chunk);
    if (b < e) fn(b, e);
  });
}

}  // namespace tsgan
