/**
 * Huawei Cloud's error bodies: flat `{error_code, error_msg}` (MPC), flat with `details[]` and
 * `encoded_authorization_message` (DBSS), nested `{error: {code|error_code, message|error_msg}}`
 * (IAM), the API gateway's `{error_code: "APIGW.0301", error_msg, request_id}`, and OBS-style XML
 * (MPC's 403). The request id is `X-Request-Id`.
 */
import { type ErrorFormat, parseErrorBody, record, text } from "@bucketry/core/internal";

export const HUAWEI_ERRORS: ErrorFormat = {
  requestId: "x-request-id",
  parse: (body) =>
    parseErrorBody(body, (json) => {
      const outer = record(json);
      const inner = record(outer.error);
      return {
        code: text(inner.error_code) ?? text(inner.code) ?? text(outer.error_code),
        message: text(inner.error_msg) ?? text(inner.message) ?? text(outer.error_msg),
        requestId: text(outer.request_id) ?? text(inner.request_id),
      };
    }),
};
