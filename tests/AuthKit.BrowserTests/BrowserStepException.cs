namespace AuthKit.BrowserTests;

/// <summary>A browser test step failed or timed out; the message holds what the browser saw and the sample's log.</summary>
public sealed class BrowserStepException(string message, Exception? innerException = null) : Exception(message, innerException);
