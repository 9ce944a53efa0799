/**
 * Exact decimal arithmetic for thresholds written into rules: `14.4 × (1 − 0.999)` is
 * `0.0144`, not `0.014400000000000001`.
 */
interface Decimal {
  digits: bigint;
  /** Digits after the decimal point. */
  scale: number;
}

/** The decimal a number prints as (JavaScript's shortest round-trip form). */
export function decimal(value: number | string): Decimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  let digits = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize({ digits: sign === '-' ? -digits : digits, scale });
}

function normalize(d: Decimal): Decimal {
  let { digits, scale } = d;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale -= 1;
  }
  return { digits, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

export function times(a: Decimal, b: Decimal): Decimal {
  return normalize({ digits: a.digits * b.digits, scale: a.scale + b.scale });
}

export function minus(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalize({ digits: x - y, scale });
}

export function dividedBy100(a: Decimal): Decimal {
  return normalize({ digits: a.digits, scale: a.scale + 2 });
}

/** Plain decimal notation, never exponent notation: `0.0000144`. */
export function format(d: Decimal): string {
  const negative = d.digits < 0n;
  const text = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  const point = text.length - d.scale;
  const result = d.scale === 0 ? text : `${text.slice(0, point)}.${text.slice(point)}`;
  return negative ? `-${result}` : result;
}
