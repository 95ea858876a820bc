import type { AccessLevel, Grant } from '../policy/access';
import type { CatalogueDb } from './database';

export interface ProjectRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
  grants: Grant[];
}

/** Projects (the unit of access) and the grants on them. */
export class AccessRepository {
  constructor(private readonly db: CatalogueDb) {}

  /** False when a project with that id exists already. */
  async createProject(project: {
    id: string;
    name: string;
    createdBy: string;
    grants: Grant[];
  }): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('projects')
        .values({ id: project.id, name: project.name, created_by: project.createdBy })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return false;
      if (project.grants.length > 0) {
        await tx
          .insertInto('project_grants')
          .values(
            project.grants.map((g) => ({ project_id: project.id, principal: g.principal, level: g.level })),
          )
          .execute();
      }
      return true;
    });
  }

  async project(id: string): Promise<ProjectRecord | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      name: row.name,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
      grants: await this.grantsOf(id),
    };
  }

  /** Projects where one of `principals` holds a grant (every project when `principals` is 'all'). */
  async projectsFor(principals: string[] | 'all'): Promise<ProjectRecord[]> {
    let query = this.db.selectFrom('projects').select('id').orderBy('id');
    if (principals !== 'all') {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('project_grants as g')
            .select('g.project_id')
            .whereRef('g.project_id', '=', 'projects.id')
            .where('g.principal', 'in', principals),
        ),
      );
    }
    const rows = await query.execute();
    const projects = await Promise.all(rows.map((r) => this.project(r.id)));
    return projects.filter((p): p is ProjectRecord => p !== undefined);
  }

  async grantsOf(project: string): Promise<Grant[]> {
    const rows = await this.db
      .selectFrom('project_grants')
      .select(['principal', 'level'])
      .where('project_id', '=', project)
      .orderBy('principal')
      .execute();
    return rows.map((r) => ({ principal: r.principal, level: r.level as AccessLevel }));
  }

  /** Replaces the project's grants with `grants`. */
  async replaceGrants(project: string, grants: Grant[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('project_grants').where('project_id', '=', project).execute();
      if (grants.length > 0) {
        await tx
          .insertInto('project_grants')
          .values(grants.map((g) => ({ project_id: project, principal: g.principal, level: g.level })))
          .execute();
      }
    });
  }

  /** Project id → the grants on it, for the projects of the given assets (unknown ids are absent). */
  async grantsOfAssets(assetIds: string[]): Promise<Map<string, { project: string; grants: Grant[] }>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('assets as a')
      .leftJoin('project_grants as g', 'g.project_id', 'a.project')
      .select(['a.id', 'a.project', 'g.principal', 'g.level'])
      .where('a.id', 'in', assetIds)
      .execute();
    const byAsset = new Map<string, { project: string; grants: Grant[] }>();
    for (const row of rows) {
      const entry = byAsset.get(row.id) ?? { project: row.project, grants: [] };
      if (row.principal && row.level)
        entry.grants.push({ principal: row.principal, level: row.level as AccessLevel });
      byAsset.set(row.id, entry);
    }
    return byAsset;
  }

  /** Ids of the projects where one of `principals` holds any grant. */
  async visibleProjects(principals: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('project_grants')
      .select('project_id')
      .distinct()
      .where('principal', 'in', principals)
      .execute();
    return rows.map((r) => r.project_id);
  }

  /** Ids of the assets in a project (at most `limit`), oldest first. */
  async assetIdsIn(project: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assets')
      .select('id')
      .where('project', '=', project)
      .where('purged_at', 'is', null)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
