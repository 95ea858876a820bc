import { Anchor, Box, Burger, Button, Collapse, Group, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { call, client, type Me } from './api';
import { LanguageToggle, type TextKey, useT } from './i18n';
import { NotificationBell } from './notification-bell';

/** Which role-bound pages this person has. Administrators hold every role's rights (policy/policy.ts). */
export function pagesOf(me: Me): { isAdmin: boolean; isAnalyst: boolean; isInvestigator: boolean } {
  const isAdmin = me.roles.includes('admin');
  return {
    isAdmin,
    isAnalyst: isAdmin || me.roles.includes('analyst'),
    isInvestigator: isAdmin || me.roles.includes('investigator'),
  };
}

/** The pages in the menu: route, name, and whether this person has the page. */
function menuOf(me: Me): Array<[string, TextKey, boolean]> {
  const { isAdmin, isAnalyst, isInvestigator } = pagesOf(me);
  return [
    ['library', 'library', true],
    ['collections', 'collections', true],
    ['inbox', 'inbox', true],
    ['rules', 'rules', true],
    ['trash', 'trash', true],
    ['projects', 'projects', true],
    ['analytics', 'analytics', isAnalyst],
    ['trace', 'traceLeak', isInvestigator],
    ['users', 'users', isAdmin],
  ];
}

/**
 * The bar on every page: the menu, notifications, language, who is signed in. Below 62em (tablets
 * and phones) the menu and the account fold behind a burger button so the bar stays one line high.
 */
export function AppHeader({ me, page, onSignedOut }: { me: Me; page: string; onSignedOut: () => void }) {
  const t = useT();
  const narrow = useMediaQuery('(max-width: 62em)') ?? false;
  const [menuOpen, menu] = useDisclosure(false);

  const links = (
    <Group component="nav" aria-label="main" gap={narrow ? 'xs' : 'md'} className="main-menu">
      {menuOf(me).map(
        ([route, label, shown]) =>
          shown && (
            <Anchor
              key={route}
              href={`#/${route}`}
              c="white"
              fw={500}
              // A page chosen from the folded menu closes it.
              onClick={menu.close}
              aria-current={page === route || (route === 'library' && page === 'assets') ? 'page' : undefined}
            >
              {t(label)}
            </Anchor>
          ),
      )}
    </Group>
  );
  const account = (
    <>
      <Anchor
        href="#/account"
        c="white"
        className="me"
        aria-current={page === 'account' ? 'page' : undefined}
      >
        {me.email}
      </Anchor>
      <Button
        variant="white"
        color="dark"
        size="compact-sm"
        onClick={async () => {
          await call(client.POST('/api/auth/logout'));
          onSignedOut();
        }}
      >
        {t('signOut')}
      </Button>
    </>
  );
  return (
    <Box component="header" className="top" px="md" py="xs">
      <Group gap="md" wrap="nowrap">
        {narrow && (
          <Burger
            opened={menuOpen}
            onClick={menu.toggle}
            color="white"
            size="sm"
            aria-label={t('menu')}
            aria-expanded={menuOpen}
          />
        )}
        <Text component="strong" fw={700} className="brand">
          {t('appName')}
        </Text>
        {!narrow && links}
        <span className="spacer" />
        <NotificationBell />
        <LanguageToggle />
        {!narrow && account}
      </Group>
      {narrow && (
        <Collapse expanded={menuOpen} className="menu-fold" transitionDuration={0}>
          {links}
          <Group gap="md" pb="xs">
            {account}
          </Group>
        </Collapse>
      )}
    </Box>
  );
}
