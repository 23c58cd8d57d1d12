// A small TopoJSON decoder (enough for the basemap): quantized, delta-encoded arcs stitched into
// the rings of Polygon and MultiPolygon geometries, as GeoJSON. See the TopoJSON specification,
// sections 2.1.3 (transforms) and 2.2 (arcs).

function decodeArcs(topology) {
  const t = topology.transform;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      if (!t) {
        return [dx, dy];
      }
      x += dx;
      y += dy;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
}

function ring(indexes, arcs) {
  const points = [];
  for (const i of indexes) {
    const arc = i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
    // Consecutive arcs share their end point: keep it once.
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  return unwrapAntimeridian(points);
}

/**
 * A ring that crosses the antimeridian (Fiji, the east of Russia) jumps from +180° to -180°; drawn
 * on a flat map that jump is a line across the world. Moving its western points by 360° keeps it
 * in one piece, just past the edge. A ring around a pole (Antarctica) is drawn right as it is.
 */
function unwrapAntimeridian(points) {
  let crosses = false;
  let winding = 0;
  for (let k = 1; k < points.length; k++) {
    const dx = points[k][0] - points[k - 1][0];
    crosses ||= Math.abs(dx) > 180;
    winding += dx > 180 ? dx - 360 : dx < -180 ? dx + 360 : dx;
  }
  // Going once around the world means the ring encloses a pole: its jump runs along the map's
  // edge, where Web Mercator does not reach.
  const aroundAPole = Math.abs(winding) > 180;
  return crosses && !aroundAPole ? points.map(([x, y]) => [x < 0 ? x + 360 : x, y]) : points;
}

function geometry(g, arcs) {
  switch (g.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.arcs.map((r) => ring(r, arcs)) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: g.arcs.map((polygon) => polygon.map((r) => ring(r, arcs))),
      };
    default:
      return null;
  }
}

/** The named object of a topology as a GeoJSON FeatureCollection (polygons only). */
export function toGeoJson(topology, objectName) {
  const arcs = decodeArcs(topology);
  const object = topology.objects[objectName];
  const geometries = object.type === 'GeometryCollection' ? object.geometries : [object];
  return {
    type: 'FeatureCollection',
    features: geometries
      .map((g) => ({
        type: 'Feature',
        id: g.id,
        properties: g.properties ?? {},
        geometry: geometry(g, arcs),
      }))
      .filter((f) => f.geometry !== null),
  };
}
