/**
 * Field types that validate as Django REST Framework does and fail with its exact messages, so
 * clients written for the original keep working (SPEC §4). Each is a zod schema: the same schema
 * validates requests, types the handlers and describes the field in the OpenAPI document.
 */
import * as z from "zod/mini";
import { COUNTRY_CODES } from "./countries";
import { isEmail } from "./email";

export const NOT_NULL = "This field may not be null.";
export const REQUIRED = "This field is required.";

// DRF's BooleanField accepts these spellings.
const TRUE_VALUES = new Set<unknown>(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1", 1, true]);
const FALSE_VALUES = new Set<unknown>(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0", 0, false]);

/** A string field: numbers become strings and surrounding white space is trimmed, as in DRF. */
function stringInput() {
  return z.pipe(
    z.transform((value: unknown) => (typeof value === "number" ? String(value) : value)),
    z.string({
      error: (issue) => (issue.input === undefined ? REQUIRED : issue.input === null ? NOT_NULL : "Not a valid string."),
    }),
  );
}

// Python counts code points, not UTF-16 units.
const lengthOf = (value: string) => {
  let length = 0;
  for (const _ of value) length++;
  return length;
};

const maxChars = (max: number) =>
  z.refine<string>((value: string) => lengthOf(value) <= max, {
    error: `Ensure this field has no more than ${max} characters.`,
  });

const noNullCharacters = z.refine<string>((value: string) => !value.includes("\0"), {
  error: "Null characters are not allowed.",
});

const LONE_SURROGATE = /\p{Cs}/u;
const noSurrogates = z.superRefine((value: string, ctx) => {
  const surrogate = LONE_SURROGATE.exec(value)?.[0];
  if (surrogate !== undefined) {
    const code = surrogate.charCodeAt(0).toString(16).toUpperCase();
    ctx.issues.push({ code: "custom", input: value, message: `Surrogate characters are not allowed: U+${code}.` });
  }
});

type TextOptions = {
  blank?: boolean;
  valid?: (value: string) => boolean;
  message?: string;
  /** What the OpenAPI document says of the value beyond its length (format, pattern). */
  described?: Record<string, string>;
};

/**
 * `blank: false` refuses "" (after trimming); other checks skip "" as DRF's allow_blank does.
 * Lengths count code points, as Python does (so the check is ours, and its JSON Schema is metadata).
 */
export function text(max: number, options: TextOptions = {}) {
  const { blank = true, valid, message, described } = options;
  return z.pipe(
    stringInput(),
    z.string().check(
      z.trim(),
      ...(blank ? [] : [z.minLength(1, { error: "This field may not be blank.", abort: true })]),
      maxChars(max),
      noNullCharacters,
      noSurrogates,
      ...(valid ? [z.refine<string>((value: string) => value === "" || valid(value), { error: message })] : []),
    ),
  ).register(z.globalRegistry, { maxLength: max, ...described });
}

export const email = (max: number) =>
  text(max, { valid: isEmail, message: "Enter a valid email address.", described: { format: "email" } });

const PHONE = /^[0-9 +\-()]*$/;
export const phone = (max: number) =>
  text(max, { valid: (value) => PHONE.test(value), message: "Enter a valid value.", described: { pattern: PHONE.source } });

const COUNTRIES = new Set(COUNTRY_CODES);
/** An ISO 3166-1 alpha-2 code, in any case on input, stored upper-case. */
export function country() {
  return z.pipe(
    stringInput(),
    z.string().check(
      z.trim(),
      z.refine<string>((value: string) => value === "" || COUNTRIES.has(value.toUpperCase()), {
        error: (issue) => `"${String(issue.input)}" is not a valid choice.`,
      }),
      z.overwrite((value: string) => value.toUpperCase()),
    ),
  ).register(z.globalRegistry, {
    maxLength: 2,
    pattern: "^([A-Z]{2})?$",
    description: "ISO 3166-1 alpha-2 code; accepted in any case, stored upper-case.",
  });
}

export function boolean() {
  return z.pipe(
    z.transform((value: unknown) => (TRUE_VALUES.has(value) ? true : FALSE_VALUES.has(value) ? false : value)),
    z.boolean({ error: (issue) => (issue.input === null ? NOT_NULL : "Must be a valid boolean.") }),
  );
}

// Django's parse_date: one or two digit month and day, a real calendar date.
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
function parseDate(value: unknown): string | undefined {
  const match = typeof value === "string" ? DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${match[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function date() {
  return z.pipe(
    z.transform((value: unknown, ctx) => {
      const parsed = parseDate(value);
      if (parsed !== undefined) return parsed;
      ctx.issues.push({
        code: "custom",
        input: value,
        message: value === null ? NOT_NULL : "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
      });
      return z.NEVER;
    }),
    z.iso.date(),
  ).register(z.globalRegistry, { maxLength: 10 });
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * DRF's DecimalField with min_value 0: digits are counted as written (Python's Decimal), and the
 * value is returned as a string with exactly `places` decimals ("1250.00"), never via a binary float.
 */
export function nonNegativeDecimal(maxDigits: number, places: number) {
  const maxWholeDigits = maxDigits - places;
  const fail = (ctx: z.core.ParsePayload<unknown>, input: unknown, message: string) => {
    ctx.issues.push({ code: "custom", input, message });
    return z.NEVER;
  };
  return z.pipe(
    z.transform((value: unknown, ctx) => {
      if (value === null) return fail(ctx, value, NOT_NULL);
      const match = typeof value === "string" || typeof value === "number" ? DECIMAL.exec(String(value).trim()) : null;
      const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match ?? [];
      if (!match || whole + fraction === "") return fail(ctx, value, "A valid number is required.");
      const digits = (whole + fraction).replace(/^0+(?=\d)/, "");
      const exponent = Number(exponentText) - fraction.length;
      const decimalPlaces = Math.max(0, -exponent);
      const totalDigits = exponent >= 0 ? digits.length + exponent : Math.max(digits.length, decimalPlaces);
      if (totalDigits > maxDigits) return fail(ctx, value, `Ensure that there are no more than ${maxDigits} digits in total.`);
      if (decimalPlaces > places) return fail(ctx, value, `Ensure that there are no more than ${places} decimal places.`);
      if (totalDigits - decimalPlaces > maxWholeDigits) {
        return fail(ctx, value, `Ensure that there are no more than ${maxWholeDigits} digits before the decimal point.`);
      }
      const scaled = BigInt(digits) * 10n ** BigInt(exponent + places);
      if (sign === "-" && scaled !== 0n) return fail(ctx, value, "Ensure this value is greater than or equal to 0.");
      const text = scaled.toString().padStart(places + 1, "0");
      return `${text.slice(0, -places)}.${text.slice(-places)}`;
    }),
    z.string().check(z.regex(new RegExp(`^\\d{1,${maxWholeDigits}}\\.\\d{${places}}$`))),
  ).register(z.globalRegistry, {
    maxLength: maxDigits + 1,
    description: `A decimal as a string with ${places} decimals, at most ${maxDigits} digits; a number is accepted too.`,
  });
}

/** The id of a row in another table; whether that row exists is checked against the database. */
export function reference() {
  return z.pipe(
    z.transform((value: unknown, ctx) => {
      const id =
        typeof value === "number" ? value : typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(id)) {
        ctx.issues.push({ code: "custom", input: value, message: value === null ? NOT_NULL : "A valid integer is required." });
        return z.NEVER;
      }
      if (id < 1) {
        ctx.issues.push({ code: "custom", input: value, message: doesNotExist(id) });
        return z.NEVER;
      }
      return id;
    }),
    z.int().check(z.gte(1)),
  ).register(z.globalRegistry, { format: "int64" });
}

export const doesNotExist = (id: number) => `Invalid pk "${id}" - object does not exist.`;

/** A read-only field: accepted in a request body and ignored, as DRF does. */
export const ignored = () => z.optional(z.pipe(z.unknown(), z.transform(() => undefined)));
