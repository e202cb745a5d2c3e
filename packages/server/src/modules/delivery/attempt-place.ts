/** Where an attempt is taken: its sitting, its candidate and the candidate's room (null: not seated). */
export interface AttemptPlace {
  sittingId: string;
  registrationId: string;
  roomId: string | null;
}

/**
 * Attempt id → place. An attempt's sitting and candidate never change, and a
 * seat does not move during a sitting, so the room is looked up once per
 * attempt (at entry, or at the first status or event on this node). Bounded,
 * simply dropped when full, like the paper cache.
 */
export class PlaceCache {
  private readonly places = new Map<string, AttemptPlace>();
  constructor(private readonly max = 50_000) {}

  get(attemptId: string): AttemptPlace | undefined {
    return this.places.get(attemptId);
  }

  put(attemptId: string, place: AttemptPlace): AttemptPlace {
    if (this.places.size >= this.max) this.places.clear();
    this.places.set(attemptId, place);
    return place;
  }
}
