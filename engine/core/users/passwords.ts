import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto'

const KEY_LENGTH = 64
// scrypt cost: N=2^15 with r=8 uses 32 MiB per hash, the OWASP floor for scrypt.
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, COST, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** Hashes a password with scrypt and a random salt, as `scrypt$N$r$p$salt$key`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt)

  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, , , , salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'))

  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A new random secret (session or API token) and the hash that is stored instead of it. */
export function createSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')

  return { token, hash: hashSecret(token) }
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}
