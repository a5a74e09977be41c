/**
 * Field types that validate as Django REST Framework 3.14 does and fail with its exact messages, in its
 * order, so clients written for the original keep working. Each is a zod schema: the same
 * schema validates requests, types the handlers and describes the field in the OpenAPI document.
 * Input is a parsed body (src/http/python-json.ts): numbers arrive as JsonNumber, as written.
 */
import * as z from "zod/mini";
import { COUNTRY_CODES } from "./countries";
import { isEmail } from "./email";
import { JsonNumber } from "./json-number";
import { pyStr, pyStrip, pyTypeName } from "./python";

const NOT_NULL = "This field may not be null.";
const REQUIRED = "This field is required.";

/** DRF's messages for a value, in order; a field is valid when there are none. */
type Check<T> = (value: unknown) => T | Invalid;

class Invalid {
  constructor(readonly messages: string[]) {}
}
const invalid = (...messages: string[]) => new Invalid(messages);

/** A field checked by `check` (null and a missing value included), whose valid values `output` describes. */
function drfField<T, Out extends z.ZodMiniType<T, T>>(check: Check<T>, output: Out) {
  // The cast names the output for zod, which cannot relate a generic schema to the transform's type.
  return z.pipe(
    z.transform((value: unknown, ctx): T => {
      const result = value === undefined ? invalid(REQUIRED) : check(value);
      if (!(result instanceof Invalid)) return result;
      for (const message of result.messages) ctx.issues.push({ code: "custom", input: value, message });
      return z.NEVER;
    }),
    output as unknown as z.ZodMiniType<unknown, Awaited<T>>,
  ) as unknown as z.ZodMiniPipe<z.ZodMiniTransform<T, unknown>, Out>;
}

// Python counts code points, not UTF-16 units.
const lengthOf = (value: string) => {
  let length = 0;
  for (const _ of value) length++;
  return length;
};

/** A validator of a trimmed, non-blank string: its message, if the value fails it. */
type Validator = (value: string) => string | undefined;

const maxLength =
  (max: number): Validator =>
  (value) =>
    lengthOf(value) > max ? `Ensure this field has no more than ${max} characters.` : undefined;
const noNullCharacters: Validator = (value) => (value.includes("\0") ? "Null characters are not allowed." : undefined);
const LONE_SURROGATE = /\p{Cs}/u;
const noSurrogates: Validator = (value) => {
  const surrogate = LONE_SURROGATE.exec(value)?.[0];
  return surrogate === undefined
    ? undefined
    : `Surrogate characters are not allowed: U+${surrogate.charCodeAt(0).toString(16).toUpperCase()}.`;
};

type TextOptions = {
  blank?: boolean;
  /** DRF's message for a value that is not a string or a number ("invalid"). */
  notAString?: string;
  /** The field's validators in DRF's order; the default is CharField's own. */
  validators?: (standard: Validator[]) => Validator[];
  /** What the OpenAPI document says of the value beyond its length (format, pattern). */
  described?: Record<string, string>;
};

/**
 * DRF's CharField (trim_whitespace): numbers become the string Python writes, other non-strings are
 * refused, "" (after Python's strip) is blank, then every validator runs and all their messages count.
 */
export function charField(max: number, options: TextOptions = {}) {
  const { blank = true, notAString = "Not a valid string.", validators = (standard) => standard, described } = options;
  const checks = validators([maxLength(max), noNullCharacters, noSurrogates]);
  return drfField((value): string | Invalid => {
    if (value === null) return invalid(NOT_NULL);
    if (typeof value !== "string" && !(value instanceof JsonNumber)) return invalid(notAString);
    const trimmed = pyStrip(pyStr(value));
    if (trimmed === "") return blank ? "" : invalid("This field may not be blank.");
    const messages = checks.map((check) => check(trimmed)).filter((message) => message !== undefined);
    return messages.length ? new Invalid(messages) : trimmed;
  }, z.string()).register(z.globalRegistry, { maxLength: max, ...(blank ? {} : { minLength: 1 }), ...described });
}

// Django's EmailValidator refuses anything longer than 320 characters before looking at it.
const validEmail: Validator = (value) => (value.length > 320 || !isEmail(value) ? "Enter a valid email address." : undefined);

/** DRF's EmailField: its own "invalid" message, and the e-mail check after CharField's validators. */
export const email = (max: number) =>
  charField(max, {
    notAString: "Enter a valid email address.",
    validators: (standard) => [...standard, validEmail],
    described: { format: "email" },
  });

const PHONE = /^[0-9 +\-()]*$/;
const validPhone: Validator = (value) => (PHONE.test(value) ? undefined : "Enter a valid value.");
/** A model field's RegexValidator comes before the validators DRF's CharField adds. */
export const phone = (max: number) =>
  charField(max, { validators: (standard) => [validPhone, ...standard], described: { pattern: PHONE.source } });

const COUNTRIES = new Set(COUNTRY_CODES);
/**
 * An ISO 3166-1 alpha-2 code (DRF's ChoiceField), trimmed, in any case on input, stored upper-case;
 * anything else is named in the message as Python's str() writes it.
 */
export function country() {
  return drfField((value): string | Invalid => {
    if (value === null) return invalid(NOT_NULL);
    const code = typeof value === "string" ? pyStrip(value) : pyStr(value);
    if (code === "" && typeof value === "string") return "";
    const upper = code.toUpperCase();
    return typeof value === "string" && COUNTRIES.has(upper) ? upper : invalid(`"${code}" is not a valid choice.`);
  }, z.string()).register(z.globalRegistry, {
    maxLength: 2,
    pattern: "^([A-Z]{2})?$",
    description: "ISO 3166-1 alpha-2 code; accepted in any case, stored upper-case.",
  });
}

/** DRF's ChoiceField: one of `choices`, as given; anything else is named in the message as Python's str() writes it. */
export function choice<const T extends readonly string[]>(choices: T) {
  return drfField((value): T[number] | Invalid => {
    if (value === null) return invalid(NOT_NULL);
    const text = pyStr(value);
    return choices.includes(text) ? (text as T[number]) : invalid(`"${text}" is not a valid choice.`);
  }, z.enum(choices));
}

// Django's URLValidator takes these schemes; the WHATWG URL parser, as browsers and fetch() read a URL,
// decides the rest of its syntax (docs/decisions.md).
const URL_SCHEMES = new Set(["http:", "https:", "ftp:", "ftps:"]);
const validUrl: Validator = (value) => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url && URL_SCHEMES.has(url.protocol) && url.hostname !== "" ? undefined : "Enter a valid URL.";
};

/** DRF's URLField: CharField's checks, then Django's URLValidator; `description` for the document. */
export const url = (max: number, description: string) =>
  charField(max, { blank: false, validators: (standard) => [...standard, validUrl], described: { format: "uri", description } });

// DRF's BooleanField accepts these spellings, and the numbers 1 and 0 (1.0 and 0.0 too: they are equal in Python).
const TRUE_TEXT = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const FALSE_TEXT = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

export function boolean() {
  return drfField((value): boolean | Invalid => {
    if (value === null) return invalid(NOT_NULL);
    if (value === true || value === false) return value;
    if (typeof value === "string" && TRUE_TEXT.has(value)) return true;
    if (typeof value === "string" && FALSE_TEXT.has(value)) return false;
    if (value instanceof JsonNumber && (value.value === 1 || value.value === 0)) return value.value === 1;
    return invalid("Must be a valid boolean.");
  }, z.boolean());
}

// Django's parse_date: one or two digit month and day, a real calendar date.
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
function parseDate(value: unknown): string | undefined {
  const match = typeof value === "string" ? DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // Date.UTC would read the years 0–99 as 1900–1999
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${match[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function date() {
  return drfField((value): string | Invalid => {
    if (value === null) return invalid(NOT_NULL);
    return parseDate(value) ?? invalid("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.");
  }, z.iso.date()).register(z.globalRegistry, { maxLength: 10 });
}

// Python's Decimal() syntax, ASCII digits only (see docs/decisions.md).
const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const MAX_DECIMAL_TEXT = 1000;

/**
 * DRF's DecimalField(allow_null) with min_value 0: "" or white space is null, digits are counted as
 * Python's Decimal holds them, and the value is returned as a string with exactly `places` decimals
 * ("1250.00"), never through a binary float.
 */
export function nullableNonNegativeDecimal(maxDigits: number, places: number) {
  const maxWholeDigits = maxDigits - places;
  return drfField(
    (value): string | null | Invalid => {
      const text = pyStrip(pyStr(value));
      if (text === "" || value === null) return null;
      if (text.length > MAX_DECIMAL_TEXT) return invalid("String value too large.");
      const match = DECIMAL.exec(text);
      if (!match) return invalid("A valid number is required.");
      const [, sign, whole = "", point = "", onlyFraction = "", exponentText = "0"] = match;
      const fraction = point || onlyFraction;
      const digits = (whole + fraction).replace(/^0+/, "") || "0";
      const exponent = Number(exponentText) - fraction.length;
      // DRF's validate_precision, from Decimal.as_tuple(): the first failure is the answer.
      const [totalDigits, wholeDigits, decimalPlaces] =
        exponent >= 0
          ? [digits.length + exponent, digits.length + exponent, 0]
          : digits.length > -exponent
            ? [digits.length, digits.length + exponent, -exponent]
            : [-exponent, 0, -exponent];
      if (totalDigits > maxDigits) return invalid(`Ensure that there are no more than ${maxDigits} digits in total.`);
      if (decimalPlaces > places) return invalid(`Ensure that there are no more than ${places} decimal places.`);
      if (wholeDigits > maxWholeDigits)
        return invalid(`Ensure that there are no more than ${maxWholeDigits} digits before the decimal point.`);
      const scaled = BigInt(digits) * 10n ** BigInt(exponent + places);
      if (sign === "-" && scaled !== 0n) return invalid("Ensure this value is greater than or equal to 0.");
      const digitsText = scaled.toString().padStart(places + 1, "0");
      // -0 is stored as 0.00, as DRF's database stores it (its first answer says "-0.00": docs/decisions.md).
      return `${digitsText.slice(0, -places)}.${digitsText.slice(-places)}`;
    },
    z.nullable(
      z
        .string()
        .check(z.regex(new RegExp(`^\\d{1,${maxWholeDigits}}\\.\\d{${places}}$`)))
        .register(z.globalRegistry, {
          maxLength: maxDigits + 1,
          description: `A decimal as a string with ${places} decimals, at most ${maxDigits} digits; a number is accepted too.`,
        }),
    ),
  );
}

export const doesNotExist = (input: unknown) => `Invalid pk "${pyStr(input)}" - object does not exist.`;

const INTEGER = /^[+-]?\d+$/;

/** The integer a reference's input names, as Python's int() reads it (ASCII digits only), or undefined. */
function referencedId(value: unknown): bigint | undefined {
  if (typeof value === "string") return INTEGER.test(pyStrip(value)) ? BigInt(pyStrip(value)) : undefined;
  if (!(value instanceof JsonNumber)) return undefined;
  if (value.isInteger) return BigInt(value.source);
  return Number.isInteger(value.value) ? BigInt(value.value) : undefined;
}

/** A row's id as DRF's PrimaryKeyRelatedField reads it; no row has an id below 1 or beyond 2^53. */
function rowId(value: unknown): number | Invalid {
  const id = referencedId(value);
  if (id === undefined) return invalid(`Incorrect type. Expected pk value, received ${pyTypeName(value)}.`);
  if (id < 1n || id > BigInt(Number.MAX_SAFE_INTEGER)) return invalid(doesNotExist(value));
  return Number(id);
}

const idOutput = () => z.int().check(z.gte(1)).register(z.globalRegistry, { format: "int64" });

/** The id of a row in another table (allow_null: "" is null); whether the row exists is asked of the database. */
export function nullableReference() {
  return drfField((value): number | null | Invalid => (value === null || value === "" ? null : rowId(value)), z.nullable(idOutput()));
}

/** The id of a row that must be given (a bulk item's customer); whether the row exists is asked of the database. */
export function primaryKey() {
  return drfField((value): number | Invalid => (value === null ? invalid(NOT_NULL) : rowId(value)), idOutput());
}

/** A read-only field: accepted in a request body and ignored, as DRF does. */
export const ignored = () =>
  z
    .optional(
      z.pipe(
        z.unknown(),
        z.transform(() => undefined),
      ),
    )
    .register(z.globalRegistry, { readOnly: true, description: "Read-only: accepted and ignored." });
