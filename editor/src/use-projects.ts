import { useEffect, useState } from 'react';
import { call, client } from './api';

export type ProjectWithLevel = Awaited<ReturnType<typeof loadProjects>>[number];

const loadProjects = async () => (await call(client.GET('/api/projects'))).projects;

/** The projects the person holds a grant on, with their level (empty until read, or on a failure). */
export function useProjects(): ProjectWithLevel[] {
  const [projects, setProjects] = useState<ProjectWithLevel[]>([]);
  useEffect(() => {
    void loadProjects()
      .then(setProjects)
      .catch(() => setProjects([]));
  }, []);
  return projects;
}
