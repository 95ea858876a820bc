import { seriousAccessibilityProblems } from '../support/accessibility';
import { browserSuite, screenshot, signedInPage } from '../support/browser';

/**
 * Issue 23 item 5, administration from the web app alone: an administrator makes a user in a team,
 * lets them publish rule sets, starts a project and grants it to the team and to the new user; the
 * new user signs in with the password they were given and manages the project's grants in turn.
 * Each step is checked in the API's answer, not only on the page.
 */
describe('administration in the web app (Chromium)', () => {
  const suite = browserSuite([['boss', 'admin']]);

  it('makes a user, a publisher, a project with grants; the new manager edits them', async () => {
    const admin = await signedInPage(suite.browser, suite.url, 'boss');
    await admin.getByRole('link', { name: 'Users' }).click();
    const form = admin.getByRole('form', { name: 'New user' });
    await form.getByLabel('E-mail').fill('nora@example.test');
    await form.getByLabel('Name', { exact: true }).fill('Nora Lind');
    await form.getByLabel('Password (12 characters or more)').fill('nora-first-password');
    await form.getByLabel('Roles', { exact: true }).fill('editor');
    await form.getByLabel('Teams', { exact: true }).fill('north');
    await form.getByRole('button', { name: 'Create user' }).click();
    await admin.getByRole('status').filter({ hasText: 'User created. nora@example.test' }).waitFor();
    await admin.getByTestId('team').filter({ hasText: 'nora@example.test' }).waitFor();
    expect(
      await admin
        .getByTestId('team')
        .filter({ hasText: 'nora@example.test' })
        .locator('td')
        .first()
        .textContent(),
    ).toBe('north');

    // Publishing rights: a tick gives the rule-author role; the server says so.
    const publishes = admin.getByLabel('Publishes rule sets nora@example.test');
    expect(await publishes.isChecked()).toBe(false);
    // Ticked once the server has saved the role (the box shows what the server holds).
    await publishes.click();
    await admin
      .getByLabel('Roles nora@example.test')
      .and(admin.locator('[value="editor, rule-author"]'))
      .waitFor();
    const nora = (await suite.harness.http.get('/api/users').expect(200)).body.users.find(
      (u: { email: string }) => u.email === 'nora@example.test',
    );
    expect(nora).toMatchObject({ roles: ['editor', 'rule-author'], teams: ['north'] });
    await screenshot(admin, 'users-admin-publishing');
    expect(await seriousAccessibilityProblems(admin)).toEqual([]);

    // A project granted to the team (edit) and to nora (manage).
    await admin.getByRole('link', { name: 'Projects' }).click();
    const newProject = admin.getByRole('form', { name: 'New project' });
    await newProject.getByLabel('Id (lower-case letters, digits, hyphens)').fill('spring-launch');
    await newProject.getByLabel('Name', { exact: true }).fill('Spring launch');
    await newProject.getByRole('button', { name: 'Create project' }).click();
    const project = admin
      .getByTestId('project')
      .filter({ has: admin.getByRole('heading', { name: /Spring launch/ }) });
    await project.waitFor();
    const add = project.getByRole('group', { name: 'Add a grant (Spring launch)' });
    await add.getByLabel('Team name').fill('north');
    await add.getByRole('combobox', { name: /^Level\b/ }).selectOption('edit');
    await add.getByRole('button', { name: 'Add' }).click();
    await add.getByRole('combobox', { name: /^To\b/ }).selectOption('user');
    await add.getByRole('combobox', { name: /^Person\b/ }).selectOption({ label: 'nora@example.test' });
    await add.getByRole('combobox', { name: /^Level\b/ }).selectOption('manage');
    await add.getByRole('button', { name: 'Add' }).click();
    await project.getByRole('button', { name: 'Save grants' }).click();
    await admin.getByRole('status').filter({ hasText: 'Grants saved.' }).waitFor();
    const grants = (await suite.harness.http.get('/api/projects/spring-launch').expect(200)).body.grants;
    expect(grants).toEqual(
      expect.arrayContaining([
        { principal: 'team:north', level: 'edit' },
        { principal: `user:${nora.id}`, level: 'manage' },
      ]),
    );
    await project.getByTestId('grant').filter({ hasText: 'nora@example.test' }).waitFor();
    await screenshot(admin, 'projects');
    expect(await seriousAccessibilityProblems(admin)).toEqual([]);
    await admin.context().close();

    // Nora signs in with the password she was given: she manages the project, and lowers the team.
    const page = await suite.browser.newPage();
    await page.goto(suite.url);
    await page.getByLabel('E-mail').fill('nora@example.test');
    await page.getByLabel('Password', { exact: true }).fill('nora-first-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Projects' }).click();
    const hers = page
      .getByTestId('project')
      .filter({ has: page.getByRole('heading', { name: /Spring launch/ }) });
    await hers.getByText('Your level: manage').waitFor();
    await hers.getByLabel('Level Team north').selectOption('view');
    await hers.getByRole('button', { name: 'Save grants' }).click();
    await page.getByRole('status').filter({ hasText: 'Grants saved.' }).waitFor();
    expect((await suite.harness.http.get('/api/projects/spring-launch').expect(200)).body.grants).toEqual(
      expect.arrayContaining([{ principal: 'team:north', level: 'view' }]),
    );
    // Not an administrator: no users page.
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
  }, 120_000);
});
