import { elbv2Model } from './models/elbv2.js';
import { encodeMembers, escapeXml } from './model.js';

const NS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export function elbv2Response(action: string, output: unknown, requestId: string): string {
  const op = elbv2Model.operations[action];
  const inner = op?.output ? encodeMembers(elbv2Model, op.output, output) : '';
  const wrapper = op?.resultWrapper ?? `${action}Result`;
  return `<${action}Response xmlns="${NS}"><${wrapper}>${inner}</${wrapper}><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

export function elbv2Error(code: string, message: string, requestId: string, sender = true): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>${sender ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
