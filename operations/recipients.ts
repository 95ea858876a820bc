import type { AccessRepository } from '../catalogue/access.repository';
import type { IdentityRepository, UserRecord } from '../catalogue/identity.repository';
import { levelOf } from '../policy/access';

/**
 * Who should hear about an asset: the people named (by e-mail, role or team) who may see it.
 * Someone outside the asset's project is never told about it, even when a rule set names their
 * role as reviewers or a comment mentions them.
 */
export class Recipients {
  constructor(private readonly deps: { identity: IdentityRepository; access: AccessRepository }) {}

  async viewersOf(
    assetId: string,
    who: { emails?: string[]; roles?: string[]; teams?: string[] },
  ): Promise<UserRecord[]> {
    const entry = (await this.deps.access.grantsOfAssets([assetId])).get(assetId);
    if (!entry) return [];
    const people = await this.deps.identity.usersMatching(who);
    return people.filter((person) => levelOf(person, entry.grants) !== undefined);
  }
}
