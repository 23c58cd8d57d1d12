// The offline basemap: country outlines from Natural Earth (public domain), shipped with the app
// as TopoJSON (map/countries-110m.json, 108 KB) and drawn as one GeoJSON layer, so the map works
// on a network without internet.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';
import { toGeoJson } from './topojson.js';

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
  return L.geoJSON(geojson, {
    interactive: false,
    style: { className: 'country', weight: 0.8 },
  });
}
