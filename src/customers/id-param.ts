import { zValidator } from "@hono/zod-validator";
import * as z from "zod/mini";
import { details, MESSAGES } from "../http/errors";

const idSchema = z.object({
  id: z.pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/)), z.transform(Number)).check(z.refine(Number.isSafeInteger)),
});

/** `{id}` of a customer path: anything but a positive integer is a customer that does not exist. */
export const customerIdParam = zValidator("param", idSchema, (result, c) => {
  if (!result.success) return details(c, 404, MESSAGES.notFound);
});
