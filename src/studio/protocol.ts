// Messages between the studio server and its training child process (src/studio/worker.ts), and
// the server-sent events the page receives (the child's messages, forwarded as they are).
import type { LogRecord } from '../train/events.js';

/** Server -> child: what to do. */
export type ChildCommand =
  | {
      type: 'train';
      runDir: string;
      preset?: string;
      config?: Record<string, unknown>;
      resume?: boolean;
      backend?: string;
    }
  | { type: 'export'; runDir: string; outDir: string; backend?: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Run these phases once (['D'] or ['G']) without advancing the step. */
  | { type: 'step'; phases: string[] }
  /** Set an optimizer's learning rate from the next step on (recorded in metrics.jsonl). */
  | { type: 'lr'; optimizer: string; lr: number }
  /** Send 2-D view frames (toy data only) while on. */
  | { type: 'toy'; on: boolean };

/** The control state of a live run. */
export interface LiveState {
  step: number;
  totalSteps: number;
  paused: boolean;
  /** Updates applied by each phase (D, G, ...), in this process. */
  phaseUpdates: Record<string, number>;
  /** Current learning rate of each optimizer. */
  lrs: Record<string, number>;
  phases: string[];
  /** Points data: the 2-D view applies. */
  toy: boolean;
}

/** One frame of the 2-D view: everything in data coordinates. */
export interface ToyFrame {
  step: number;
  /** [xmin, xmax, ymin, ymax] of the view. */
  bounds: [number, number, number, number];
  /** Side of the decision-surface grid. */
  n: number;
  /** D's probability that a point is real on an n x n grid, row-major from (xmin, ymax) downwards. */
  surface: number[];
  /** Generated points [x0, y0, x1, y1, ...] from fixed latents. */
  fake: number[];
  /** The direction G's loss moves each generated point (d logit / dx), same order as fake. */
  arrows: number[];
  /** Real points (first frame only). */
  real?: number[];
}

/** Child -> server (and, forwarded, server -> page). */
export type ChildMessage =
  | { type: 'started'; runDir: string; state: LiveState }
  | { type: 'state'; state: LiveState }
  | { type: 'log'; record: LogRecord }
  | { type: 'progress'; step: number; ms: number; phaseUpdates: Record<string, number> }
  | { type: 'manual'; phases: string[]; losses: Record<string, number>; state: LiveState }
  | { type: 'sample'; step: number; file: string }
  | { type: 'health'; event: Record<string, unknown> }
  | { type: 'warning'; step: number; message: string }
  | { type: 'toy'; frame: ToyFrame }
  | { type: 'done'; step: number; reason: string; message?: string }
  | { type: 'exported'; manifest: Record<string, unknown> }
  | { type: 'error'; message: string }
  | { type: 'exit'; code: number };
