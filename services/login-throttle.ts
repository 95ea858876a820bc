import { RateLimiterMemory } from 'rate-limiter-flexible';
import { consumeOr429 } from './rate-limit';

const WINDOW_SECONDS = 15 * 60;
/** Wrong passwords for one e-mail from one address: a person mistyping, at most. */
const PER_EMAIL_AND_ADDRESS = 5;
/**
 * Wrong passwords for one e-mail from all addresses: rotating addresses (IPv6 gives millions)
 * gets no more guesses than this. An attacker can use it to keep one account locked; that is the
 * price of a cap, and why it is well above what a person at one address may try.
 */
const PER_EMAIL = 20;
/** Sign-in attempts from one address across all e-mails: stops spraying one password over many accounts. */
const PER_ADDRESS = 50;

/**
 * Limits password guesses per (e-mail, address), per e-mail and per address. Every attempt is
 * counted before the password is checked (so parallel guesses cannot all pass a check made before
 * any was counted), and given back when it succeeds. Unknown e-mails are counted exactly as known
 * ones: the answer must not tell them apart. In memory: a restart forgets, and each API process
 * counts on its own.
 */
export class LoginThrottle {
  private readonly limiters = {
    pair: new RateLimiterMemory({ points: PER_EMAIL_AND_ADDRESS, duration: WINDOW_SECONDS }),
    email: new RateLimiterMemory({ points: PER_EMAIL, duration: WINDOW_SECONDS }),
    address: new RateLimiterMemory({ points: PER_ADDRESS, duration: WINDOW_SECONDS }),
  };

  /** Counts an attempt, or throws 429 when any of the three limits is used up. */
  async take(email: string, address: string): Promise<void> {
    // Narrowest first: a person locked out at their own address does not also use up the rest.
    for (const [name, key] of this.keys(email, address))
      await consumeOr429(this.limiters[name], key, 'failed sign-ins');
  }

  /**
   * The attempt succeeded: this person's failures at this address are forgiven, and the attempt
   * is given back to the e-mail's and the address's counts (not their failures: a success by the
   * owner must not hand an attacker elsewhere a fresh allowance).
   */
  async succeeded(email: string, address: string): Promise<void> {
    const [pair, ...wider] = this.keys(email, address);
    await this.limiters.pair.delete(pair[1]);
    for (const [name, key] of wider) await this.limiters[name].reward(key, 1);
  }

  /** No password was checked (the server was too busy): the attempt is not a guess and is given back. */
  async notChecked(email: string, address: string): Promise<void> {
    for (const [name, key] of this.keys(email, address)) await this.limiters[name].reward(key, 1);
  }

  private keys(email: string, address: string) {
    return [
      ['pair', `${email}|${address}`],
      ['email', email],
      ['address', address],
    ] as const;
  }
}
