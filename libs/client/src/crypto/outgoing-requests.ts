import * as Crypto from '@matrix-org/matrix-sdk-crypto-wasm';

/** The requests an OlmMachine asks its client to send (and the signing keys upload, which it returns apart). */
export type MachineRequest = Crypto.OutgoingRequest | Crypto.UploadSigningKeysRequest;

/** Sends one OlmMachine request to the hub; what the crypto parts (verification, backup) need of it. */
export interface RequestSender {
  sendRequest(request: MachineRequest): Promise<void>;
}

/** The one HTTP call this file needs of the hub (HearthClient has it; tests answer it themselves). */
export interface HubRequests {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * The one place that turns the OlmMachine's requests into HTTP calls, and their answers back into
 * the machine (as matrix-js-sdk's OutgoingRequestProcessor and OutgoingRequestsManager do).
 */
export class OutgoingRequests implements RequestSender {
  private inFlight: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly machine: Crypto.OlmMachine,
    private readonly http: HubRequests,
  ) {}

  /** Sends everything the machine asks for, until it asks for nothing more. */
  processOutgoingRequests(): Promise<void> {
    if (this.inFlight) {
      // A caller arriving while a loop runs may have queued new requests after that loop last
      // looked: it goes round once more before the shared promise resolves.
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const requests = await this.machine.outgoingRequests();
            if (requests.length === 0) break;
            for (const r of requests) await this.sendRequest(r);
          }
        } while (this.again);
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  /** One OlmMachine request over HTTP; its answer goes back to the machine. */
  async sendRequest(r: MachineRequest): Promise<void> {
    let response: unknown;
    const enc = encodeURIComponent;
    if (r instanceof Crypto.KeysUploadRequest)
      response = await this.http.request('POST', '/keys/upload', JSON.parse(r.body));
    else if (r instanceof Crypto.KeysQueryRequest)
      response = await this.http.request('POST', '/keys/query', JSON.parse(r.body));
    else if (r instanceof Crypto.KeysClaimRequest)
      response = await this.http.request('POST', '/keys/claim', JSON.parse(r.body));
    else if (r instanceof Crypto.ToDeviceRequest) {
      response = await this.http.request(
        'PUT',
        `/sendToDevice/${enc(r.event_type)}/${enc(r.txn_id)}`,
        JSON.parse(r.body),
      );
    } else if (r instanceof Crypto.SignatureUploadRequest) {
      response = await this.http.request('POST', '/keys/signatures/upload', JSON.parse(r.body));
    } else if (r instanceof Crypto.RoomMessageRequest) {
      response = await this.http.request(
        'PUT',
        `/rooms/${enc(r.room_id)}/send/${enc(r.event_type)}/${enc(r.txn_id)}`,
        JSON.parse(r.body),
      );
    } else if (r instanceof Crypto.KeysBackupRequest) {
      response = await this.http.request('PUT', `/room_keys/keys?version=${enc(r.version)}`, JSON.parse(r.body));
    } else if (r instanceof Crypto.UploadSigningKeysRequest) {
      await this.uploadSigningKeys(r);
      return; // not an outgoing request: nothing to mark as sent
    } else return;
    if (r.id !== undefined) await this.machine.markRequestAsSent(r.id, r.type, JSON.stringify(response ?? {}));
  }

  /**
   * Uploads new cross-signing keys. Replacing existing ones needs the account's password (the hub
   * asks for it in `auth`, as Matrix's user-interactive auth does).
   */
  async uploadSigningKeys(r: Crypto.UploadSigningKeysRequest, password?: string): Promise<void> {
    const signing = JSON.parse(r.body) as Record<string, unknown>;
    if (password) signing.auth = { type: 'm.login.password', password };
    await this.http.request('POST', '/keys/device_signing/upload', signing);
  }
}
