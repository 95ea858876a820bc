import type { BasicColour } from '../domain/ingest-findings';

export type { BasicColour } from '../domain/ingest-findings';
/**
 * Reference colours for naming a measured colour: the nearest reference by CIEDE2000 gives the
 * name. Each belongs to one of the eleven basic colour terms (Berlin & Kay), its `family`, which
 * is what search and tags use ("red" finds crimson and maroon); `name` is the finer label shown.
 */
export interface ReferenceColour {
  hex: string;
  name: { en: string; zh: string };
  family: BasicColour;
}

export const BASIC_COLOUR_NAMES: Record<BasicColour, { en: string; zh: string }> = {
  black: { en: 'black', zh: '黑色' },
  white: { en: 'white', zh: '白色' },
  grey: { en: 'grey', zh: '灰色' },
  red: { en: 'red', zh: '红色' },
  orange: { en: 'orange', zh: '橙色' },
  yellow: { en: 'yellow', zh: '黄色' },
  green: { en: 'green', zh: '绿色' },
  blue: { en: 'blue', zh: '蓝色' },
  purple: { en: 'purple', zh: '紫色' },
  pink: { en: 'pink', zh: '粉色' },
  brown: { en: 'brown', zh: '棕色' },
};

export const REFERENCE_COLOURS: ReferenceColour[] = [
  { hex: '#000000', name: { en: 'black', zh: '黑色' }, family: 'black' },
  { hex: '#2b2b2b', name: { en: 'charcoal', zh: '炭黑色' }, family: 'black' },
  { hex: '#ffffff', name: { en: 'white', zh: '白色' }, family: 'white' },
  { hex: '#f5f0e1', name: { en: 'ivory', zh: '象牙白' }, family: 'white' },
  { hex: '#808080', name: { en: 'grey', zh: '灰色' }, family: 'grey' },
  { hex: '#c0c0c0', name: { en: 'silver', zh: '银色' }, family: 'grey' },
  { hex: '#505050', name: { en: 'dark grey', zh: '深灰色' }, family: 'grey' },
  { hex: '#e02020', name: { en: 'red', zh: '红色' }, family: 'red' },
  { hex: '#a51c30', name: { en: 'crimson', zh: '绯红色' }, family: 'red' },
  { hex: '#800000', name: { en: 'maroon', zh: '栗色' }, family: 'red' },
  { hex: '#ff8c00', name: { en: 'orange', zh: '橙色' }, family: 'orange' },
  { hex: '#ff7f50', name: { en: 'coral', zh: '珊瑚色' }, family: 'orange' },
  { hex: '#ffd700', name: { en: 'yellow', zh: '黄色' }, family: 'yellow' },
  { hex: '#d4af37', name: { en: 'gold', zh: '金色' }, family: 'yellow' },
  { hex: '#f0e68c', name: { en: 'khaki', zh: '卡其色' }, family: 'yellow' },
  { hex: '#2e8b57', name: { en: 'green', zh: '绿色' }, family: 'green' },
  { hex: '#7cfc00', name: { en: 'lime', zh: '黄绿色' }, family: 'green' },
  { hex: '#006400', name: { en: 'dark green', zh: '深绿色' }, family: 'green' },
  { hex: '#808000', name: { en: 'olive', zh: '橄榄绿' }, family: 'green' },
  { hex: '#008080', name: { en: 'teal', zh: '蓝绿色' }, family: 'blue' },
  { hex: '#1e50c8', name: { en: 'blue', zh: '蓝色' }, family: 'blue' },
  { hex: '#87ceeb', name: { en: 'sky blue', zh: '天蓝色' }, family: 'blue' },
  { hex: '#000080', name: { en: 'navy', zh: '藏青色' }, family: 'blue' },
  { hex: '#00bcd4', name: { en: 'cyan', zh: '青色' }, family: 'blue' },
  { hex: '#800080', name: { en: 'purple', zh: '紫色' }, family: 'purple' },
  { hex: '#b57edc', name: { en: 'lavender', zh: '薰衣草紫' }, family: 'purple' },
  { hex: '#ff69b4', name: { en: 'pink', zh: '粉色' }, family: 'pink' },
  { hex: '#ffc0cb', name: { en: 'light pink', zh: '浅粉色' }, family: 'pink' },
  { hex: '#d6006f', name: { en: 'magenta', zh: '品红色' }, family: 'pink' },
  { hex: '#8b4513', name: { en: 'brown', zh: '棕色' }, family: 'brown' },
  { hex: '#d2b48c', name: { en: 'tan', zh: '茶色' }, family: 'brown' },
  { hex: '#f5deb3', name: { en: 'beige', zh: '米色' }, family: 'brown' },
];
