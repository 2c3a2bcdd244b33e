import assert from 'node:assert/strict';
import { s3Model } from '../src/protocol/models/s3.js';
import type { ApiRequest } from '../src/protocol/protocol.js';
import { decodeRestXml, encodeRestXml, restXmlRouter } from '../src/protocol/rest-xml.js';
import { parseXml } from '../src/protocol/xml.js';

const request = (
  method: string,
  path: string,
  headers: ApiRequest['headers'] = {},
  body = '',
): ApiRequest => ({
  method,
  url: new URL(path, 'http://sim'),
  headers,
  body,
});

describe('the generic REST-XML protocol', () => {
  const route = restXmlRouter(s3Model);
  const address = (r: ApiRequest) => route(r.method, r.url.pathname, r.url.searchParams, r.headers);

  it('finds the operation by method, URI template, query literals and required headers', () => {
    assert.deepEqual(address(request('PUT', '/site-bucket')), {
      action: 'CreateBucket',
      labels: { Bucket: 'site-bucket' },
    });
    assert.equal(address(request('GET', '/site-bucket?location'))?.action, 'GetBucketLocation');
    assert.equal(address(request('GET', '/site-bucket?list-type=2&prefix=a'))?.action, 'ListObjectsV2');
    assert.deepEqual(address(request('PUT', '/b/dir/a%20b.html')), {
      action: 'PutObject',
      labels: { Bucket: 'b', Key: 'dir/a b.html' },
    });
    assert.equal(address(request('PUT', '/b/k', { 'x-amz-copy-source': '/b/j' }))?.action, 'CopyObject');
    assert.equal(address(request('GET', '/b/k?x-id=GetObject'))?.action, 'GetObject');
    assert.equal(address(request('PATCH', '/b/k')), undefined);
  });

  it('decodes header, query, label and XML payload members; refuses XML that is not well-formed', () => {
    const input = decodeRestXml(
      s3Model,
      'CreateBucket',
      request(
        'PUT',
        '/b',
        { 'x-amz-acl': 'private' },
        '<?xml version="1.0"?><CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
      ),
      { Bucket: 'b' },
    );
    assert.deepEqual(input, {
      ACL: 'private',
      Bucket: 'b',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
    assert.throws(() => parseXml('<a><b></a>'), { code: 'MalformedXML' });
    assert.throws(() => parseXml('<a/><b/>'), { code: 'MalformedXML' });
    assert.equal(parseXml('<a>x &amp; <![CDATA[<y>]]></a>').text, 'x & <y>');
  });

  it('answers header members as headers and the rest as an XML document', () => {
    const answer = encodeRestXml(s3Model, 'PutObject', { ETag: '"abc"', VersionId: 'v1' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers?.etag, '"abc"');
    assert.equal(answer.headers?.['x-amz-version-id'], 'v1');
    assert.equal(answer.body, '');
  });
});
