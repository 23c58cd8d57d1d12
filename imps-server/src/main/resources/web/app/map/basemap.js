// The offline basemap: country outlines from Natural Earth (public domain), shipped with the app
// as TopoJSON (map/countries-110m.json, 108 KB) and drawn as one layer of polygons (that project
// quickly after a zoom: fast-lines.js), so the map works on a network without internet.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { FastPolygon } from './fast-lines.js';
import { toGeoJson } from './topojson.js';
import { cssVar } from '../ui/dom.js';

/** Rings deep in each geometry's coordinates. */
const LEVELS = { Polygon: 1, MultiPolygon: 2 };

let cached = null;

export async function offlineBasemap() {
  if (!cached) {
    const url = new URL('./countries-110m.json', import.meta.url);
    cached = fetch(url)
      .then((r) => {
        if (!r.ok) {
          throw new Error(`HTTP ${r.status}`);
        }
        return r.json();
      })
      .then((topology) => toGeoJson(topology, 'countries'));
    cached.catch(() => {
      cached = null;
    });
  }
  const geojson = await cached;
  // On a canvas, not as SVG paths: after every move and zoom, 177 new SVG paths had to be laid
  // out and painted (20-60 ms of layout with 500 friends' work around it); a canvas is only
  // painted. Its colours come from the stylesheet, again when the colour scheme changes.
  const renderer = L.canvas({ padding: 0.25 });
  const style = () => ({
    renderer,
    interactive: false,
    weight: 0.8,
    color: cssVar('--border-land'),
    fillColor: cssVar('--land'),
    fillOpacity: 1,
  });
  const group = L.featureGroup(
    geojson.features
      .filter((f) => LEVELS[f.geometry?.type] !== undefined)
      .map(
        (f) =>
          new FastPolygon(
            L.GeoJSON.coordsToLatLngs(f.geometry.coordinates, LEVELS[f.geometry.type]),
            style(),
          ),
      ),
  );
  const scheme = window.matchMedia?.('(prefers-color-scheme: dark)');
  const restyle = () => group.setStyle(style());
  group.on('add', () => scheme?.addEventListener('change', restyle));
  group.on('remove', () => scheme?.removeEventListener('change', restyle));
  return group;
}
