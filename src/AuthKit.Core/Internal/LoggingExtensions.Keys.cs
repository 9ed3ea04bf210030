using Microsoft.Extensions.Logging;

namespace AuthKit.Internal;

/// <summary>Key events: configuration reloads, and the managed ring's lifecycle. Never a secret.</summary>
internal static partial class LoggingExtensions
{
    [LoggerMessage(1002, LogLevel.Information, "AuthKit key ring reloaded from configuration: keys {KeyIds}; {ActiveKeyId} signs.", EventName = "KeyRingReloaded")]
    public static partial void KeyRingReloaded(this ILogger logger, string keyIds, string activeKeyId);

    [LoggerMessage(1003, LogLevel.Error, "AuthKit refused the reloaded key configuration; the previous keys stay in force ({ActiveKeyId} signs). {Problems}", EventName = "KeyConfigurationRefused")]
    public static partial void KeyConfigurationRefused(this ILogger logger, string activeKeyId, string problems);

    [LoggerMessage(1004, LogLevel.Information, "Managed key ring {Ring}: created key {KeyId} ({Algorithm}); it verifies now and signs from {ActivatesAt:o}.", EventName = "ManagedKeyCreated")]
    public static partial void ManagedKeyCreated(this ILogger logger, string ring, string keyId, string algorithm, DateTimeOffset activatesAt);

    [LoggerMessage(1005, LogLevel.Information, "Managed key ring {Ring}: key {KeyId} signs (active since {ActivatesAt:o}).", EventName = "ManagedKeyActivated")]
    public static partial void ManagedKeyActive(this ILogger logger, string ring, string keyId, DateTimeOffset activatesAt);

    [LoggerMessage(1006, LogLevel.Information, "Managed key ring {Ring}: deleted retired key {KeyId}; what it signed no longer verifies.", EventName = "ManagedKeyDeleted")]
    public static partial void ManagedKeyDeleted(this ILogger logger, string ring, string keyId);

    [LoggerMessage(1007, LogLevel.Error, "Managed key ring {Ring} cannot be used: {Problem}.", EventName = "ManagedKeyRingUnreadable")]
    public static partial void ManagedKeyRingUnreadable(this ILogger logger, string ring, string problem);

    [LoggerMessage(1008, LogLevel.Warning, "Managed key ring {Ring} could not be read from the session store: {Reason}. Requests that sign or verify with it are answered 503 until the store answers; retrying every second.", EventName = "ManagedKeyRingUnavailable")]
    public static partial void ManagedKeyRingUnavailable(this ILogger logger, string ring, string reason);

    [LoggerMessage(1009, LogLevel.Information, "Managed key ring {Ring}: key {KeyId} retired; it no longer signs and verifies until it is deleted.", EventName = "ManagedKeyRetired")]
    public static partial void ManagedKeyRetired(this ILogger logger, string ring, string keyId);
}
