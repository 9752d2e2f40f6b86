/**
 * Region lists and which of IAM's projects they select: main projects by region, sub-projects with
 * --all-projects, names that are no region (MOS) never.
 */
import { describe, expect, it } from 'vitest';
import { regionOfProject, selectProjects } from '../../src/auth/projects.js';
import { namesSeveralRegions, parseRegionList } from '../../src/settings/regions.js';

const LISTED = [
  { region: 'cn-north-4', projectId: 'p-main', name: 'cn-north-4', sub: false },
  { region: 'cn-north-4', projectId: 'p-dev', name: 'cn-north-4_dev', sub: true },
  { region: 'cn-east-3', projectId: 'p-east', name: 'cn-east-3', sub: false },
];

describe('region lists', () => {
  it('tells a list or all from one region', () => {
    expect(namesSeveralRegions('cn-north-4')).toBe(false);
    expect(namesSeveralRegions('cn-north-4,cn-east-3')).toBe(true);
    expect(namesSeveralRegions('all')).toBe(true);
  });

  it('reads a comma list once each, in order, and refuses a bad item naming it (exit 2)', () => {
    expect(parseRegionList({ value: 'cn-east-3, cn-north-4,cn-east-3', source: 'flag' }).value).toEqual([
      'cn-east-3',
      'cn-north-4',
    ]);
    expect(parseRegionList({ value: 'all', source: 'env:HSS_REGION' })).toEqual({
      value: 'all',
      source: 'env:HSS_REGION',
    });
    expect(() => parseRegionList({ value: 'cn-north-4,,cn-east-3', source: 'flag' })).toThrow(
      /region "" in "cn-north-4,,cn-east-3" \(from command-line flag\): the list has an empty item/,
    );
    try {
      parseRegionList({ value: 'cn-north-4,Cn_East', source: 'flag' });
      expect.unreachable();
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('projects of a region list', () => {
  it('reads regions from project names: main, sub-project, and names that are no region', () => {
    expect(regionOfProject('cn-north-4')).toEqual({ region: 'cn-north-4', sub: false });
    expect(regionOfProject('cn-north-4_dev')).toEqual({ region: 'cn-north-4', sub: true });
    expect(regionOfProject('MOS')).toBeUndefined();
    expect(regionOfProject('')).toBeUndefined();
  });

  it('all: every main project; with --all-projects the sub-projects too', () => {
    expect(selectProjects(LISTED, 'all', false).projects.map((p) => p.projectId)).toEqual([
      'p-main',
      'p-east',
    ]);
    expect(selectProjects(LISTED, 'all', true).projects.map((p) => p.projectId)).toEqual([
      'p-main',
      'p-dev',
      'p-east',
    ]);
  });

  it('a list: those regions in the order named, and the regions without a project apart', () => {
    expect(selectProjects(LISTED, ['cn-east-3', 'ap-southeast-1', 'cn-north-4'], false)).toEqual({
      projects: [
        { region: 'cn-east-3', projectId: 'p-east', name: 'cn-east-3' },
        { region: 'cn-north-4', projectId: 'p-main', name: 'cn-north-4' },
      ],
      missing: ['ap-southeast-1'],
    });
  });
});
