import { ApplicationFailure, log } from '@temporalio/activity';
import { drawOneTimeCode, otpHmac } from '@tlo/crypto';
import { maskE164 } from '@tlo/domain';
import type { FopAccountRepository, GoogleTokenClaimRepository, OtpOutboxRepository } from '@tlo/persistence';

export interface TokenizedFopDeps {
  fopAccounts: FopAccountRepository;
  tokenClaims: GoogleTokenClaimRepository;
  otpOutbox: OtpOutboxRepository;
  otpHmacKey: Buffer;
}

export function createTokenizedFopActivities(deps: TokenizedFopDeps) {
  return {
    /**
     * Draws a 6-digit code with a CSPRNG and sends it by SMS to the account's phone, with Google's
     * `smsMatchingToken` in the text. Returns only the code's HMAC; a retried attempt draws anew.
     */
    async sendAuthenticationSms(args: {
      authenticationRequestId: string;
      accountId: string;
      smsMatchingToken: string;
    }): Promise<{ codeHmac: string }> {
      const account = await deps.fopAccounts.find(args.accountId);
      if (!account) throw ApplicationFailure.nonRetryable('account disappeared', 'AccountNotFound');
      const code = drawOneTimeCode();
      await deps.otpOutbox.deliver(args.authenticationRequestId, maskE164(account.phoneNumber), {
        channel: 'SMS',
        recipient: account.phoneNumber,
        text: `${code} is your verification code to add your account to Google. ${args.smsMatchingToken}`,
      });
      log.info('authentication code sent', {
        authenticationRequestId: args.authenticationRequestId,
        target: maskE164(account.phoneNumber),
      });
      return { codeHmac: otpHmac(deps.otpHmacKey, args.authenticationRequestId, code) };
    },

    /** The association that owns the token: this one, unless another claimed it first. */
    async claimGooglePaymentToken(args: { gptHash: string; associationId: string }): Promise<string> {
      return deps.tokenClaims.claim(args.gptHash, args.associationId);
    },
  };
}
