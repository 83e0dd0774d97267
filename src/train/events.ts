// Typed training events, for the CLI's progress bar, the health monitor, and a future UI:
//   trainer.events.on('log', (r) => ...)   // returns an unsubscribe function
import type { HealthEvent } from '../health/types.js';

/** One metrics line (also written to metrics.jsonl). Loss fields are means over the log window. */
export interface LogRecord {
  step: number;
  /** Seconds since the run (or its resumption) started. */
  elapsed: number;
  /** Images (or points) per second over the log window. */
  imgPerSec: number;
  lossD: number;
  lossG: number;
  dReal?: number;
  dFake?: number;
  dAccuracy?: number;
  gradNormD?: number;
  gradNormG?: number;
  lrG: number;
  lrD: number;
  /** Any other logged scalar (penalties, auxiliary losses), averaged over the window. */
  [extra: string]: number | undefined;
}

export interface StepEvent {
  step: number;
  totalSteps: number;
  /** Loss of each phase at this step, by phase name. */
  losses: Record<string, number>;
  /** Milliseconds this step took. */
  ms: number;
}

export interface SampleEvent {
  step: number;
  /** PNG written (absent when the trainer runs without a run folder). */
  file?: string;
}

export interface CheckpointEvent {
  step: number;
  file: string;
}

export interface DoneEvent {
  step: number;
  /**
   * 'completed': reached the step target; 'diverged': reached it, but with NaN or infinite losses
   * (message says from which step); 'interrupted': SIGINT, SIGTERM or SIGHUP; 'stopped': a health remedy stopped it.
   */
  reason: 'completed' | 'diverged' | 'interrupted' | 'stopped';
  message?: string;
  runDir?: string;
}

export interface TrainEventMap {
  step: StepEvent;
  log: LogRecord;
  sample: SampleEvent;
  checkpoint: CheckpointEvent;
  health: HealthEvent;
  warning: { step: number; message: string };
  done: DoneEvent;
}

type Listener<T> = (e: T) => void;

/** A small typed event emitter (works the same in Node and in a browser). */
export class TypedEmitter<M> {
  private listeners: { [K in keyof M]?: Listener<M[K]>[] } = {};

  on<K extends keyof M>(name: K, fn: Listener<M[K]>): () => void {
    if (!this.listeners[name]) this.listeners[name] = [];
    this.listeners[name].push(fn);
    return () => this.off(name, fn);
  }

  once<K extends keyof M>(name: K, fn: Listener<M[K]>): () => void {
    const off = this.on(name, (e) => {
      off();
      fn(e);
    });
    return off;
  }

  off<K extends keyof M>(name: K, fn: Listener<M[K]>): void {
    const l = this.listeners[name];
    if (l) this.listeners[name] = l.filter((f) => f !== fn);
  }

  emit<K extends keyof M>(name: K, e: M[K]): void {
    for (const fn of [...(this.listeners[name] ?? [])]) fn(e);
  }
}

export class TrainEvents extends TypedEmitter<TrainEventMap> {}
