import { ec2Model } from './models/ec2.js';
import { encodeMembers, escapeXml } from './model.js';

const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function ec2Response(action: string, output: unknown, requestId: string): string {
  const op = ec2Model.operations[action];
  const body = op?.output ? encodeMembers(ec2Model, op.output, output) : '<return>true</return>';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><requestId>${requestId}</requestId>${body}</${action}Response>`;
}

export function ec2Error(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
