interface Shape { area(): number; }

export class Circle implements Shape {
  constructor(private r: number) {}

  area(): number {
    return this.r > 0 ? Math.PI * this.r * this.r : 0;
  }
}

export function total(shapes: Shape[], limit?: number): number {
  let sum = 0;
  for (const s of shapes) {
    switch (typeof limit) {
      case "number":
        if (sum > (limit as number)) return sum;
        break;
      default:
        break;
    }
    sum += s.area();
  }
  return sum;
}
