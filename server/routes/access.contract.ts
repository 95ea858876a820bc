import { AccessLevels, GRANT_PRINCIPAL_PATTERN, PROJECT_ID_PATTERN } from '../../policy/access';
import { operation } from '../contract/operation';
import { Closed, component, StringEnum, Timestamp, Type } from '../contract/schema';

const AccessLevel = StringEnum(AccessLevels);
const ProjectId = Type.String({
  pattern: PROJECT_ID_PATTERN,
  description: 'A short slug: lower-case letters, digits and hyphens',
});

export const Grant = component(
  'Grant',
  Closed({
    principal: Type.String({
      pattern: GRANT_PRINCIPAL_PATTERN,
      description: '`everyone` (every signed-in user), `user:<id>` or `team:<name>`',
    }),
    level: AccessLevel,
  }),
);
const Grants = Type.Array(Grant, { maxItems: 200 });

const projectFields = {
  id: Type.String(),
  name: Type.String(),
  createdBy: Type.String({ description: 'The maker’s e-mail (`system` for the built-in project)' }),
  createdAt: Timestamp,
  grants: Type.Array(Grant),
};

export const Project = component('Project', Closed(projectFields));

const params = Closed({ project: ProjectId });
const hidden = 'PROJECT_NOT_FOUND (also when the caller holds no grant on it)';

export const listProjects = operation({
  method: 'get',
  path: '/api/projects',
  operationId: 'listProjects',
  tag: 'Projects',
  summary: 'Projects the caller holds a grant on, with their level (every project for administrators)',
  responses: {
    200: {
      description: 'By id',
      json: Closed({
        projects: Type.Array(component('ProjectWithLevel', Closed({ ...projectFields, level: AccessLevel }))),
      }),
    },
  },
});

export const createProject = operation({
  method: 'post',
  path: '/api/projects',
  operationId: 'createProject',
  tag: 'Projects',
  summary: 'Make a project ({id, name, grants?}); the maker manages it',
  body: {
    json: component(
      'NewProject',
      Closed({
        id: ProjectId,
        name: Type.String({ minLength: 1, maxLength: 200 }),
        grants: Type.Optional(Grants),
      }),
    ),
  },
  responses: { 201: { description: 'The project with its grants', json: Project } },
  errors: { 409: 'PROJECT_EXISTS: the id is taken' },
});

export const getProject = operation({
  method: 'get',
  path: '/api/projects/{project}',
  operationId: 'getProject',
  tag: 'Projects',
  summary: 'A project and its grants',
  params,
  responses: { 200: { description: 'The project', json: Project } },
  errors: { 404: hidden },
});

export const replaceProjectGrants = operation({
  method: 'put',
  path: '/api/projects/{project}/grants',
  operationId: 'replaceProjectGrants',
  tag: 'Projects',
  summary:
    "Replace a project's grants ({grants: [{principal: everyone | user:<id> | team:<name>, level: view | edit | manage}]})",
  params,
  body: { json: component('ProjectGrants', Closed({ grants: Grants })) },
  responses: { 200: { description: 'The project', json: Project } },
  errors: {
    400: 'VALIDATION_FAILED: no grant with level manage would be left',
    404: hidden,
  },
});

export const accessOperations = [listProjects, createProject, getProject, replaceProjectGrants];
