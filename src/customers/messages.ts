// DRF's words for what only stored data can refuse, and this service's words where DRF has none
// (docs/decisions.md): the refusals answer with them and the OpenAPI document's examples read them.

export const CUSTOMER_NUMBER_TAKEN = "Customer with this customer number already exists.";
/** A number that a customer the consumer cannot see holds: it says no more than that it cannot be used. */
export const CUSTOMER_NUMBER_UNAVAILABLE = "This customer number cannot be used.";
export const COOPERATIVE_DATES = "cooperative_reimbursement_date may not be before cooperative_date.";
/** A write-only consumer's answer when more than one check on stored data could have refused its write. */
export const STORED_DATA_REFUSED = "These values cannot be stored with the data the service holds; nothing was written.";
export const DUPLICATE_ID = "Duplicate id.";
