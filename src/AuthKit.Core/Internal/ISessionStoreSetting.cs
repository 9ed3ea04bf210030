namespace AuthKit.Internal;

/// <summary>Implemented by AuthKit's shared stores: the setting an operator checks when the store does not answer.</summary>
internal interface ISessionStoreSetting
{
    /// <summary>For example <c>AuthKit:RedisStore:Configuration (127.0.0.1:6379)</c>: the setting's name and, when not secret, its value.</summary>
    string ConnectionSetting { get; }
}
