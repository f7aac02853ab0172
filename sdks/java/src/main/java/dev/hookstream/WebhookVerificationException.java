package dev.hookstream;

/** A delivery whose signature, timestamp or headers do not check out: answer it 400 and drop it. */
public final class WebhookVerificationException extends Exception {
  private static final long serialVersionUID = 1L;

  public WebhookVerificationException(String message) {
    super(message);
  }
}
