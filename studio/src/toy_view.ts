// The 2-D view (as GAN Lab draws it): D's decision surface as a heat map (purple: D says fake,
// green: real), real points, generated points, and arrows along the gradient that moves each
// generated point (lengths normalized per frame).
import { h } from './api';

export interface ToyFrame {
  step: number;
  bounds: [number, number, number, number];
  n: number;
  surface: number[];
  fake: number[];
  arrows: number[];
  real?: number[];
}

export class ToyView {
  readonly canvas: HTMLCanvasElement;
  private real: number[] = [];
  private readonly label: HTMLElement;
  frames = 0;

  constructor(parent: HTMLElement, size = 440) {
    this.canvas = h('canvas', { class: 'toy-canvas', width: String(size), height: String(size) });
    this.label = h('span', { class: 'msg toy-label' }, 'waiting for the first frame…');
    parent.append(
      h('h3', {}, '2-D view'),
      this.canvas,
      h(
        'div',
        { class: 'legend' },
        h('span', {}, '■ background: D(x), green real … purple fake'),
        h('span', { style: 'color:#0a7d38' }, '● real'),
        h('span', { style: 'color:#7c3aed' }, '● generated'),
        h('span', {}, '→ G gradient'),
      ),
      this.label,
    );
  }

  draw(f: ToyFrame): void {
    if (f.real) this.real = f.real;
    const c = this.canvas;
    const g = c.getContext('2d')!;
    const W = c.width;
    const H = c.height;
    const [x0, x1, y0, y1] = f.bounds;
    const px = (x: number) => ((x - x0) / (x1 - x0)) * W;
    const py = (y: number) => ((y1 - y) / (y1 - y0)) * H;
    // Heat map: n x n cells, D(x) from 0 (fake, purple) to 1 (real, green).
    const img = g.createImageData(f.n, f.n);
    for (let i = 0; i < f.n * f.n; i++) {
      const p = f.surface[i]!;
      img.data[4 * i] = Math.round(205 + (170 - 205) * p);
      img.data[4 * i + 1] = Math.round(185 + (232 - 185) * p);
      img.data[4 * i + 2] = Math.round(245 + (185 - 245) * p);
      img.data[4 * i + 3] = 255;
    }
    const tmp = document.createElement('canvas');
    tmp.width = f.n;
    tmp.height = f.n;
    tmp.getContext('2d')!.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(tmp, 0, 0, W, H);
    g.fillStyle = 'rgba(10,125,56,0.55)';
    for (let i = 0; i < this.real.length; i += 2) g.fillRect(px(this.real[i]!) - 1, py(this.real[i + 1]!) - 1, 2, 2);
    let maxLen = 1e-12;
    for (let i = 0; i < f.arrows.length; i += 2) maxLen = Math.max(maxLen, Math.hypot(f.arrows[i]!, f.arrows[i + 1]!));
    g.strokeStyle = 'rgba(60,60,60,0.6)';
    g.lineWidth = 1;
    const L = 22;
    for (let i = 0; i < f.fake.length; i += 2) {
      const sx = px(f.fake[i]!);
      const sy = py(f.fake[i + 1]!);
      const dx = (f.arrows[i]! / maxLen) * L;
      const dy = -(f.arrows[i + 1]! / maxLen) * L;
      g.beginPath();
      g.moveTo(sx, sy);
      g.lineTo(sx + dx, sy + dy);
      g.stroke();
    }
    g.fillStyle = '#7c3aed';
    for (let i = 0; i < f.fake.length; i += 2) {
      g.beginPath();
      g.arc(px(f.fake[i]!), py(f.fake[i + 1]!), 2.2, 0, Math.PI * 2);
      g.fill();
    }
    this.frames++;
    this.canvas.dataset.frames = String(this.frames);
    this.label.textContent = `step ${f.step}`;
  }
}
