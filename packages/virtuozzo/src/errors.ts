/**
 * ostor's errors: S3-style XML `<Error><Code/><Message/></Error>`, or only an `X-Amz-Err-Message`
 * header when the body says nothing; the request id is `x-amz-request-id`.
 */
import { type ErrorFormat, parseErrorBody, xmlElement } from "@bucketry/core/internal";

export const OSTOR_ERRORS: ErrorFormat = {
  requestId: "x-amz-request-id",
  parse: (body, headers) => {
    const parsed = parseErrorBody(body);
    const said = headers.get("x-amz-err-message");
    // The header says more than a body without <Message>; ostor sends no JSON errors.
    if (!said || /^\s*[[{]/.test(body) || xmlElement(body, "Message")) return parsed;
    return { ...parsed, message: said };
  },
};
