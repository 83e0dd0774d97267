// A persistent thread pool shared by every native kernel.
// Size: TSGAN_NUM_THREADS, else the number of cores. The calling thread takes part in the work,
// so a pool of N threads starts N-1 workers. Nested calls (from inside a task) run serially.
#pragma once
#include <cstdint>
#include <functional>

namespace tsgan {

// Number of threads that work on a parallel loop (workers + caller).
int NumThreads();
// Changes the pool size (joins the old workers). n < 1 means the default.
void SetNumThreads(int n);

// Runs fn(task) for task in [0, num_tasks), spread over the pool; returns when all are done.
void RunTasks(int64_t num_tasks, const std::function<void(int64_t task)>& fn);

// Splits [0, n) into contiguous chunks of at least `grain` items, one chunk per task, and runs
// fn(begin, end) on each. Small ranges run inline on the caller.
void ParallelFor(int64_t n, int64_t grain, const std::function<void(int64_t begin, int64_t end)>& fn);

}  // namespace tsgan
