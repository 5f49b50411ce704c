import { manualProvisioningWorkflowId } from '@tlo/domain';
import { type OtpOutboxRepository, createRepositories, fieldCipherFor } from '@tlo/persistence';
import { newCard } from './cards';
import type { Stack } from './stack';

export interface YellowPath {
  proxy: string;
  requestId: string;
  workflowId: string;
}

/** Drives manual provisioning's yellow path over HTTP, as the wallet would, reading codes from the outbox. */
export class YellowPathDriver {
  readonly wallet: string;
  private readonly admin: string;
  private readonly outbox: OtpOutboxRepository;

  constructor(private readonly stack: Stack) {
    this.wallet = stack.tokenAs('wallet-app', 'wallet.events');
    this.admin = stack.tokenAs('issuer-admin', 'cards.write', 'programs.write');
    this.outbox = createRepositories(stack.mongo, fieldCipherFor(stack.fieldEncryptionKeys)).otpOutbox;
  }

  async program(programId: string, settings: Record<string, unknown>): Promise<void> {
    const response = await this.stack.request('PUT', `/card-programs/${programId}`, {
      token: this.admin,
      body: { otpDelivery: 'DIRECT', ...settings },
    });
    if (response.status !== 200) throw new Error(`program ${programId}: ${response.status} ${response.text}`);
  }

  /** A new card of `programId` and a YELLOW decision for it (a new device). */
  async start(programId?: string): Promise<YellowPath> {
    const card = await this.stack.request<{ proxy: string }>('POST', '/cards', {
      token: this.admin,
      body: { ...newCard({ email: 'maria@example.com' }), ...(programId ? { programId } : {}) },
    });
    if (card.status !== 201) throw new Error(`card: ${card.status} ${card.text}`);
    return this.startForCard(card.body.proxy);
  }

  /** Another YELLOW decision for an existing card. */
  async startForCard(proxy: string): Promise<YellowPath> {
    const decision = await this.stack.request<{ requestId: string; decision: string }>(
      'POST',
      '/tokenization-requests',
      {
        token: this.wallet,
        body: {
          proxy,
          wallet: 'GooglePay',
          deviceId: 'pixel-9',
          walletRiskScore: 10,
          deviceNewToAccount: true,
        },
      },
    );
    if (decision.status !== 201 || decision.body.decision !== 'YELLOW')
      throw new Error(`decision: ${decision.status} ${decision.text}`);
    const { requestId } = decision.body;
    return { proxy, requestId, workflowId: manualProvisioningWorkflowId(requestId) };
  }

  /** Sends a code by SMS and returns it, read from the encrypted outbox. */
  async sendCode(path: YellowPath): Promise<string> {
    const sent = await this.stack.request('POST', `/tokenization-requests/${path.requestId}/otp`, {
      token: this.wallet,
      body: { methodId: 'sms' },
    });
    if (sent.status !== 200) throw new Error(`send: ${sent.status} ${sent.text}`);
    const message = await this.outbox.latest(path.requestId);
    return /\b(\d{6})\b/.exec(message!.text)![1];
  }

  async verify(path: YellowPath, code: string): Promise<{ result: string; attemptsLeft: number }> {
    const answer = await this.stack.request<{ result: string; attemptsLeft: number }>(
      'POST',
      `/tokenization-requests/${path.requestId}/otp/verify`,
      { token: this.wallet, body: { code } },
    );
    if (answer.status !== 200) throw new Error(`verify: ${answer.status} ${answer.text}`);
    return answer.body;
  }

  async state(path: YellowPath): Promise<string> {
    const view = await this.stack.request<{ state: string }>(
      'GET',
      `/tokenization-requests/${path.requestId}`,
      {
        token: this.wallet,
      },
    );
    return view.body.state;
  }
}
