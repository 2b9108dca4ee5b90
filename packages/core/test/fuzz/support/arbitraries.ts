/**
 * Generators shared by the property suites: number-like junk, header-safe text, JWTs, JSON texts
 * that `JSON.stringify` cannot produce (`1e999`, 400 digits), and bytes that are not UTF-8.
 */
import fc from "fast-check";

/** Text fetch's `Headers` accepts as a value: printable ASCII (no CR, LF, NUL, nothing above Latin-1). */
export const headerText = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: "grapheme-ascii", maxLength });

/** A run of `n` digits, 1 ≤ n ≤ 400 (a `Number` of 400 digits is `Infinity`). */
export const manyDigits = fc.integer({ min: 1, max: 400 }).chain((n) => fc.constantFrom("9".repeat(n), `1${"0".repeat(n - 1)}`));

/** Strings that look like numbers to some parsers and not to others. */
export const numberLikeString = fc.oneof(
  fc.constantFrom("NaN", "Infinity", "-Infinity", "-1", "0", "-0", "1e5", "1e999", " 60", "60 ", "0x3c", "١٢", "3600", "3600.5", "", "0.0001", "1_000", "+5", "5e-1"),
  manyDigits,
  fc.integer().map(String),
  fc.double().map(String),
);

/** Raw JSON number texts, including ones `JSON.stringify` never writes (`1e999` parses to Infinity). */
export const rawJsonNumber = fc.oneof(
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom("0", "-0", "1e999", "-1e999", "1e-999", "0.0001", "0.5", "1", "2", "86400", "31622400", "1e300", "9007199254740993", "-5"),
  manyDigits,
);

/** Any JSON value as text: numbers as above, strings that look like numbers, and arbitrary JSON. */
export const rawJsonValue: fc.Arbitrary<string> = fc.oneof(
  rawJsonNumber,
  numberLikeString.map((s) => JSON.stringify(s)),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom("null", "true", "false", "{}", "[]", '""'),
);

const base64url = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

/** A compact JWS whose payload is `claims` as given (raw JSON member texts), signature `signature`. */
export function jwtOf(claims: ReadonlyArray<readonly [string, string]>, signature: string): string {
  const payload = `{${claims.map(([name, raw]) => `${JSON.stringify(name)}:${raw}`).join(",")}}`;
  return `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(payload)}.${signature}`;
}

/** Bytes that are not valid UTF-8 (lone continuation bytes, overlongs, surrogates, truncated sequences). */
export const invalidUtf8 = fc
  .tuple(
    fc.uint8Array({ maxLength: 16 }),
    fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xfe, 0xff]),
    fc.uint8Array({ maxLength: 16 }),
  )
  .map(([a, bad, b]) => new Uint8Array([...a, ...bad, ...b]));

/** A JSON text cut short (truncated anywhere, even inside a string or an escape). */
export const truncatedJson = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.stringify(v) ?? "null")
  .filter((text) => text.length > 1)
  .chain((text) => fc.integer({ min: 1, max: text.length - 1 }).map((cut) => text.slice(0, cut)));

/** Nesting deeper than any parser's recursion budget should matter: `[[[…]]]` or `{"a":{"a":…}}`. */
export const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 200_000 }), fc.boolean(), fc.boolean())
  .map(([depth, arrays, closed]) => {
    const open = arrays ? "[".repeat(depth) : '{"a":'.repeat(depth);
    const close = arrays ? "]".repeat(depth) : "}".repeat(depth);
    return `${open}${arrays ? "1" : "1"}${closed ? close : ""}`;
  });

/** Encodes a text as UTF-8 bytes. */
export const utf8Bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * `arbitrary` in about one case of `oneIn`, else `null`. (`fc.option`'s `freq` is the other way
 * round: `null` in one case of `freq`.)
 */
export const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
