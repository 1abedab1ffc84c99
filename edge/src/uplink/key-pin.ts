import { canonicalJwk, importPublicKey, verifyKeyRotation, verifySignature, type CloudToEdge } from '@cr/shared';

type Welcome = Extract<CloudToEdge, { type: 'welcome' }>;
type Jwk = Record<string, unknown>;

export type PinDecision = { ok: true; pin?: Jwk; why: string } | { ok: false; why: string };

/** Whether `token` carries `jwk`'s signature; expiry and audience are not the question here. */
async function signs(jwk: Jwk, token: string): Promise<boolean> {
  try {
    return await verifySignature(token, await importPublicKey(jwk as JsonWebKey));
  } catch {
    return false;
  }
}

async function proven(previous: Jwk, welcome: Welcome): Promise<boolean> {
  const proof = welcome.keyRotation;
  if (!proof || canonicalJwk(proof.publicKey) !== canonicalJwk(previous)) return false;
  return verifyKeyRotation(previous, welcome.publicKey, proof.signature);
}

/**
 * Decides whether the signing key a `welcome` presents may be trusted. Threat: whoever answers on
 * the cloud's address (a hijacked DNS name, a proxy, a cloud URL mistyped to a look-alike) hands the
 * edge their own key and then mints LAN tokens that open doors. So:
 * - first use: the key must have signed this edge's own token, which the token's issuer handed over
 *   out of band (or its previous key did, and the welcome proves the rotation);
 * - afterwards: the pinned key stays, and a different key is taken only with a rotation proof that
 *   the pinned key signed.
 */
export async function judgeCloudKey(pinned: Jwk | undefined, welcome: Welcome, ownToken: string): Promise<PinDecision> {
  const offered = welcome.publicKey;
  if (!pinned) {
    if (await signs(offered, ownToken)) return { ok: true, pin: offered, why: 'first use: the key signed this edge token' };
    const previous = welcome.keyRotation?.publicKey;
    if (previous && (await signs(previous, ownToken)) && (await proven(previous, welcome))) {
      return { ok: true, pin: offered, why: 'first use: the key rotated from the one that signed this edge token' };
    }
    return { ok: false, why: 'the cloud presented a signing key that did not sign this edge token' };
  }
  if (canonicalJwk(pinned) === canonicalJwk(offered)) return { ok: true, why: 'pinned key' };
  if (await proven(pinned, welcome)) return { ok: true, pin: offered, why: 'rotation proven by the pinned key' };
  return { ok: false, why: 'the cloud presented a new signing key without a rotation proof from the pinned key' };
}
