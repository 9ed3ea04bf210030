using System.Net;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>
/// The session ticket's <see cref="AuthenticationProperties"/> keep their dictionaries unmade until written, and answer every
/// operation as the framework's own ordinal dictionaries do.
/// </summary>
public sealed class TicketPropertiesTests
{
    [Fact]
    public void A_lazy_dictionary_answers_every_operation_as_an_ordinal_dictionary_does()
    {
        IDictionary<string, string?> lazy = new LazyDictionary<string?>();
        IDictionary<string, string?> real = new Dictionary<string, string?>(StringComparer.Ordinal);

        Same(d => d.Count);
        Same(d => d.ContainsKey("a"));
        Same(d => d.TryGetValue("a", out var v) ? v : "(missing)");
        Same(d => d.Remove("a"));
        Same(d => d.Contains(new("a", "1")));
        Same(d => d.Remove(new KeyValuePair<string, string?>("a", "1")));
        Same(d => d.ToList().Count);
        SameThrow<KeyNotFoundException>(d => d["a"]);
        SameThrow<ArgumentNullException>(d => d.ContainsKey(null!));
        SameThrow<ArgumentNullException>(d => d.TryGetValue(null!, out _));
        SameThrow<ArgumentNullException>(d => d.Remove(null!));
        SameThrow<ArgumentNullException>(d => d[null!]);
        Both(d => d.Clear());

        Both(d => d["a"] = "1");
        Both(d => d.Add("B", null));
        Both(d => d.Add(new KeyValuePair<string, string?>("c", "3")));
        SameThrow<ArgumentException>(d => { d.Add("a", "again"); return 0; });
        Same(d => d.ContainsKey("A"));
        Same(d => d["a"]);
        Same(d => d.Contains(new("c", "3")));
        Same(d => string.Join(",", d.Select(p => p.Key + "=" + p.Value)));
        Same(d => string.Join(",", d.Keys));
        Same(d => string.Join(",", d.Values));
        Same(d => d.Remove("B"));
        Same(d => d.Remove(new KeyValuePair<string, string?>("c", "other")));
        Same(d =>
        {
            var copy = new KeyValuePair<string, string?>[4];
            d.CopyTo(copy, 1);
            return string.Join(",", copy.Select(p => p.Key));
        });
        Both(d => d.Clear());
        Same(d => d.Count);
        Assert.False(lazy.IsReadOnly);

        void Both(Action<IDictionary<string, string?>> act)
        {
            act(lazy);
            act(real);
        }

        void Same<T>(Func<IDictionary<string, string?>, T> read) => Assert.Equal(read(real), read(lazy));

        void SameThrow<TException>(Func<IDictionary<string, string?>, object?> read)
            where TException : Exception
        {
            Assert.Throws<TException>(() => read(real));
            Assert.Throws<TException>(() => read(lazy));
        }
    }

    [Fact]
    public async Task The_session_ticket_s_properties_take_items_and_parameters_like_the_framework_s()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapGet("/props", async (HttpContext c) =>
        {
            var result = await c.AuthenticateAsync();
            var properties = result.Properties!;
            var before = $"{properties.Items.Count}/{properties.Parameters.Count}/{properties.ExpiresUtc?.ToString() ?? "none"}";
            properties.SetString("note", "hello");
            properties.SetParameter("n", 42);
            properties.IsPersistent = true;
            var again = (await c.AuthenticateAsync()).Properties!;
            return $"{before} {again.GetString("note")} {again.GetParameter<int>("n")} {again.IsPersistent} {again.Clone().Items.Count}";
        }));
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        using var response = await GetAsync(client, "/props", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0/0/none hello 42 True 2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
