/** A one-line progress display for slow commands: shown on a terminal only, after a delay. */
export interface Progress {
  /** What the command is doing now (`type-checking and running definitions`, `linting`, …). */
  phase(name: string): void;
  /** Removes the line, if one was drawn; nothing is drawn after. */
  stop(): void;
}

interface ProgressOptions {
  /** How long the command runs before the line appears (ms). */
  delayMs?: number;
  /** How often the line is redrawn (ms). */
  intervalMs?: number;
}

/** Whether a progress line may be drawn on `stream`: a terminal that understands carriage return and erase-line. */
export function wantsProgress(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

/**
 * Starts a progress line on `stream` (stderr), redrawn in place with the phase and the seconds
 * elapsed. Fast commands never show it, and neither does anything that is not a terminal, so
 * logs and pipes stay clean.
 */
export function startProgress(stream: NodeJS.WriteStream, command: string, options: ProgressOptions = {}): Progress {
  if (!wantsProgress(stream)) return { phase: () => undefined, stop: () => undefined };
  let phase = 'working';
  const started = Date.now();
  let drawn = false;
  let stopped = false;
  let interval: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${command}: ${phase}… ${seconds} s`);
    drawn = true;
  };
  const delayMs = options.delayMs ?? 2000;
  const show = (): void => {
    clearTimeout(delay);
    draw();
    interval = setInterval(draw, options.intervalMs ?? 250);
    interval.unref();
  };
  const delay = setTimeout(show, delayMs);
  delay.unref();
  return {
    phase: (name) => {
      phase = name;
      if (drawn) draw();
      // Work that holds the event loop (the type-check) delays the timer: a phase change past the delay shows the line.
      else if (!stopped && interval === undefined && Date.now() - started >= delayMs) show();
    },
    stop: () => {
      clearTimeout(delay);
      if (interval) clearInterval(interval);
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
      stopped = true;
    },
  };
}
