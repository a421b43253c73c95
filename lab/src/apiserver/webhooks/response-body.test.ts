import { decodeWebhookResponse, genericServerResponse } from './response-body.js';

const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

describe('decodeWebhookResponse', () => {
  test.each<[string, number, string | undefined, string, string | Record<string, unknown>]>([
    ['a v1 review', 200, 'application/json', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"u","allowed":true}}', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', allowed: true } }],
    ['any content type is decoded', 201, 'text/html', '{"response":{"uid":"u","allowed":false,"status":{"code":403,"message":"no"}}}', { response: { allowed: false, status: { code: 403, message: 'no' } } }],
    ['YAML works too', 200, 'application/yaml', 'apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\nresponse:\n  uid: u\n  allowed: true\n', { kind: 'AdmissionReview', response: { uid: 'u', allowed: true } }],
    ['no response', 200, 'application/json', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', { response: undefined }],
    ['a patch is base64', 200, undefined, '{"response":{"uid":"u","allowed":true,"patchType":"JSONPatch","patch":"W10="}}', { response: { patch: Buffer.from('[]'), patchType: 'JSONPatch' } }],
    ['plain-text garbage', 200, 'text/plain', 'this is not json', `couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND}`],
    ['a number', 200, 'application/json', '42', `couldn't get version/kind; json parse error: json: cannot unmarshal number into Go value of type ${FIND_KIND}`],
    ['broken JSON', 200, 'application/json', '{"response": {"uid": "u",', "couldn't get version/kind; json parse error: unexpected end of JSON input"],
    ['JSON with a stray character', 200, 'application/json', '{"response" x}', "couldn't get version/kind; json parse error: invalid character 'x' after object key"],
    ['an empty body', 200, 'application/json', '', '0-length response with status code: 200 and content type: application/json'],
    ['an empty body without content type', 204, undefined, '', '0-length response with status code: 204 and content type: application/json'],
    ['allowed as a string', 200, undefined, '{"response":{"uid":"u","allowed":"yes"}}', 'json: cannot unmarshal string into Go struct field AdmissionResponse.response.allowed of type bool'],
    ['response as a string', 200, undefined, '{"response":"ok"}', 'json: cannot unmarshal string into Go struct field AdmissionReview.response of type v1.AdmissionResponse'],
    ['status code as a string', 200, undefined, '{"response":{"status":{"code":"403"}}}', 'json: cannot unmarshal string into Go struct field Status.response.status.code of type int32'],
    ['warnings with a number', 200, undefined, '{"response":{"warnings":["a",1]}}', 'json: cannot unmarshal number into Go struct field AdmissionResponse.response.warnings of type string'],
    ['a patch that is not base64', 200, undefined, '{"response":{"patch":"not base64!"}}', 'illegal base64 data at input byte 3'],
    ['HTTP 500 with text', 500, 'text/plain; charset=utf-8', 'boom\n', 'an error on the server ("boom") has prevented the request from succeeding'],
    ['HTTP 502 with an HTML body', 502, 'text/html', '<b>bad gateway</b>', 'an error on the server ("<b>bad gateway</b>") has prevented the request from succeeding'],
    ['HTTP 500 with a JSON non-Status', 500, 'application/json', '{"error":"x"}', 'an error on the server ("unknown") has prevented the request from succeeding'],
    ['HTTP 404', 404, 'text/plain', 'not here', 'the server could not find the requested resource'],
    ['HTTP 403 keeps a text body', 403, 'text/plain', 'go away', 'go away'],
    ['HTTP 503', 503, undefined, '', 'the server is currently unable to handle the request'],
    ['HTTP 302', 302, 'text/html', 'moved', 'the server responded with the status code 302 but did not return more information'],
    ['HTTP 500 with a failure Status', 500, 'application/json', '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"webhook exploded","code":500}', 'webhook exploded'],
  ])('%s', (_name, code, contentType, body, expected) => {
    const out = decodeWebhookResponse(code, contentType, Buffer.from(body, 'utf8'));
    if (typeof expected === 'string') expect(out).toEqual({ ok: false, error: expected });
    else expect(out.ok ? out.review : out.error).toMatchObject(expected);
  });

  test.each<[number, string, string]>([
    [409, '', 'the server reported a conflict'],
    [400, '', 'the server rejected our request for an unknown reason'],
    [401, '', 'the server has asked for the client to provide credentials'],
    [405, '', 'the server does not allow this method on the requested resource'],
    [422, '', 'the server rejected our request due to an error in our request'],
    [429, '', 'the server has received too many requests and has asked us to try again later'],
    [504, '', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
    [415, 'types', 'types'],
    [418, 'teapot', 'the server responded with the status code 418 but did not return more information'],
  ])('generic response %i', (code, text, expected) => {
    expect(genericServerResponse(code, text)).toBe(expected);
  });
});
