// Checks that a JSON answer has the shape the app is about to read, written by hand: the
// contract's zod schemas would add about 25 KB gzip to every page load, to guard answers from
// our own two backends. A check only has to catch a wrong answer (a proxy's error page, a
// backend of another version) before it reaches the screen as `undefined`.

/** True when `value` has the shape, which TypeScript then knows too. */
export type Shape<T> = (value: unknown) => value is T;

type ShapeOf<S> = S extends Shape<infer T> ? T : never;

export const string: Shape<string> = (value): value is string => typeof value === "string";

export const boolean: Shape<boolean> = (value): value is boolean => typeof value === "boolean";

/** A finite number: JSON has no NaN, so anything else is not an answer we understand. */
export const number: Shape<number> = (value): value is number =>
  typeof value === "number" && Number.isFinite(value);

/** One of the listed strings (or numbers), exactly. */
export function oneOf<const V extends string | number>(...values: readonly V[]): Shape<V> {
  return (value): value is V => values.includes(value as V);
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value): value is T | null => value === null || shape(value);
}

export function arrayOf<T>(shape: Shape<T>): Shape<T[]> {
  return (value): value is T[] => Array.isArray(value) && value.every(shape);
}

/** A JSON object, whatever its keys hold. */
export const record: Shape<Record<string, unknown>> = (value): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An object with at least these fields in these shapes; other fields are left alone. */
export function object<S extends Record<string, Shape<unknown>>>(
  fields: S,
): Shape<{ [K in keyof S]: ShapeOf<S[K]> }> {
  const entries = Object.entries(fields);
  return (value): value is { [K in keyof S]: ShapeOf<S[K]> } =>
    record(value) && entries.every(([key, shape]) => shape(value[key]));
}

/** Marks a field that may be missing; present, it must have the shape. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value): value is T | undefined => value === undefined || shape(value);
}
