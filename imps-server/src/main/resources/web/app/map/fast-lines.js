// Lines and polygons that project their points quickly: after every zoom Leaflet projects each
// point of every line again (a sine and a logarithm per point, three objects made). The country
// outlines and a 2,000-point track are thousands of points, which made the end of a zoom take
// 10-20 ms. Here each point keeps its projection at scale 1 (the map's CRS before zooming), and
// a zoom only multiplies it: the same arithmetic in the same order, so the same pixels.

import * as L from '../../vendor/leaflet/leaflet-src.esm.js';

const FastProjection = {
  _projectLatlngs(latlngs, result, projectedBounds) {
    const map = this._map;
    const crs = map.options.crs;
    const t = crs.transformation;
    if (!crs.projection || !t || typeof t._a !== 'number') {
      L.Polyline.prototype._projectLatlngs.call(this, latlngs, result, projectedBounds);
      return;
    }
    const scale = crs.scale(map.getZoom());
    const origin = map.getPixelOrigin();
    if (latlngs[0] instanceof L.LatLng) {
      const ring = new Array(latlngs.length);
      for (let i = 0; i < latlngs.length; i++) {
        const ll = latlngs[i];
        let u = ll._unit;
        if (u === undefined || ll._unitCrs !== crs) {
          const p = crs.projection.project(ll);
          u = ll._unit = [t._a * p.x + t._b, t._c * p.y + t._d];
          ll._unitCrs = crs;
        }
        // As map.latLngToLayerPoint: project at the zoom, round, subtract the pixel origin.
        const point = new L.Point(
          Math.round(scale * u[0]) - origin.x,
          Math.round(scale * u[1]) - origin.y,
        );
        ring[i] = point;
        projectedBounds.extend(point);
      }
      result.push(ring);
    } else {
      for (const part of latlngs) {
        this._projectLatlngs(part, result, projectedBounds);
      }
    }
  },
};

export const FastPolyline = L.Polyline.extend(FastProjection);
export const FastPolygon = L.Polygon.extend(FastProjection);
