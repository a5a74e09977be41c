import * as z from "zod/mini";
import { details, MESSAGES } from "../http/errors";
import { validated } from "../http/validate";

const idSchema = z.object({
  id: z.pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/)), z.transform(Number)).check(z.refine(Number.isSafeInteger)),
});

/** `{id}` of a customer path: anything but a positive integer is a customer that does not exist. */
export const customerIdParam = validated("param", idSchema, (c) => details(c, 404, MESSAGES.notFound));
