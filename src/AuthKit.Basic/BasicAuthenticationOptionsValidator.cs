using Microsoft.Extensions.Options;

namespace AuthKit.Basic;

/// <summary>Rules of <see cref="BasicAuthenticationOptions"/> that no single setter can check, run at start-up.</summary>
internal sealed class BasicAuthenticationOptionsValidator : IValidateOptions<BasicAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BasicAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ValidatorType is null)
        {
            // Options of a name nobody called AddBasic for: nothing to check.
            return ValidateOptionsResult.Skip;
        }

        if (options.EventsType is { } eventsType && !typeof(BasicAuthenticationEvents).IsAssignableFrom(eventsType))
        {
            return ValidateOptionsResult.Fail(
                $"AuthKit:Basic: EventsType '{eventsType}' of scheme '{name}' does not derive from BasicAuthenticationEvents. Derive it from BasicAuthenticationEvents, or set Events instead.");
        }

        if (options.Events is null)
        {
            return ValidateOptionsResult.Fail($"AuthKit:Basic: Events of scheme '{name}' is null. Leave the default, or set a BasicAuthenticationEvents instance.");
        }

        return ValidateOptionsResult.Success;
    }
}
