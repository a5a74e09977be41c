import { errorBody } from "../../http/errors";
import { DETAILS } from "../../http/messages";
import type { Answer } from "../operation";

// What the webhook operations answer alike.

/** The path of a subscription, as each of its operations names it. */
export const SUBSCRIPTION_PATH = "/api/v2/webhooks/{id}/";

/** Another consumer's subscription is no subscription at all. */
export const subscriptionNotFound: Answer = {
  description: "No such subscription of this consumer (another consumer's included), or an id that is not a UUID.",
  body: errorBody,
  example: { details: DETAILS.notFound },
};
