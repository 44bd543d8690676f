import { addHeadHint } from '../../../src/engine/remote/headHint';

const pkt = (line: string) =>
  (line.length + 4).toString(16).padStart(4, '0') + line;
const advertise = (...refs: string[]) =>
  new TextEncoder().encode(
    pkt('# service=git-upload-pack\n') +
      '0000' +
      refs.map(pkt).join('') +
      '0000'
  );
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('addHeadHint', () => {
  it('names our branch as HEAD when the server advertises no HEAD', () => {
    const before = advertise(
      `${A} refs/heads/alice\0multi_ack side-band-64k\n`,
      `${B} refs/heads/bob\n`
    );
    expect(decode(addHeadHint(before, 'alice'))).toBe(
      decode(
        advertise(
          `${A} refs/heads/alice\0multi_ack side-band-64k symref=HEAD:refs/heads/alice\n`,
          `${B} refs/heads/bob\n`
        )
      )
    );
  });

  it('leaves an advertisement that has HEAD, or a symref for it, as it is', () => {
    const withHead = advertise(
      `${A} HEAD\0multi_ack\n`,
      `${A} refs/heads/main\n`
    );
    expect(addHeadHint(withHead, 'alice')).toBe(withHead);
    const withSymref = advertise(
      `${A} refs/heads/main\0symref=HEAD:refs/heads/main agent=x\n`
    );
    expect(addHeadHint(withSymref, 'alice')).toBe(withSymref);
  });

  it('leaves anything that is not pkt-lines alone', () => {
    const html = new TextEncoder().encode('<html>not git</html>');
    expect(addHeadHint(html, 'alice')).toBe(html);
  });
});
