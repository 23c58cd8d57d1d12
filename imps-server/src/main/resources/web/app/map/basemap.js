// The offline basemap: country outlines from Natural Earth (public domain), shipped with the app
// as TopoJSON (map/countries-110m.json, 108 KB) and drawn as one layer of polygons (that project
// quickly after a zoom: fast-lines.js), so the map works on a network without internet.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { FastPolygon } from './fast-lines.js';
import { toGeoJson } from './topojson.js';

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
  const style = { className: 'country', weight: 0.8, interactive: false };
  return L.featureGroup(
    geojson.features
      .filter((f) => LEVELS[f.geometry?.type] !== undefined)
      .map(
        (f) =>
          new FastPolygon(
            L.GeoJSON.coordsToLatLngs(f.geometry.coordinates, LEVELS[f.geometry.type]),
            style,
          ),
      ),
  );
}
