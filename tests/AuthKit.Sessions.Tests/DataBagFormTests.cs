using System.Globalization;
using System.Text;
using AuthKit.Internal;
using AuthKit.Sessions.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using static AuthKit.Sessions.Tests.Cookies;

namespace AuthKit.Sessions.Tests;

/// <summary>
/// A request's changes and the committed bag take a small form for a few keys (an array) and a dictionary past it; every size
/// reads and writes the same.
/// </summary>
public sealed class DataBagFormTests
{
    [Fact]
    public void A_request_s_changes_keep_every_key_past_the_small_form_in_the_order_first_changed()
    {
        var changes = default(SessionChanges);
        for (var i = 0; i < 20; i++)
        {
            changes.Set("k" + i, [(byte)i]);
            Assert.Equal(i + 1, changes.Count);
        }

        changes.Set("k3", null);
        changes.Set("k15", [99]);

        Assert.Equal(20, changes.Count);
        Assert.True(changes.TryGetValue("k3", out var removed));
        Assert.Null(removed);
        Assert.True(changes.TryGetValue("k15", out var replaced));
        Assert.Equal([99], replaced);
        Assert.False(changes.ContainsKey("K1"));
        var order = new List<string>();
        foreach (var (key, _) in changes)
        {
            order.Add(key);
        }

        Assert.Equal(Enumerable.Range(0, 20).Select(i => "k" + i), order);

        changes.Clear();
        Assert.Equal(0, changes.Count);
        Assert.False(changes.ContainsKey("k0"));
        changes.Set("again", [1]);
        Assert.Equal(1, changes.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FrozenMap<int>.SmallLimit)]
    [InlineData(FrozenMap<int>.SmallLimit + 1)]
    public void A_frozen_map_of_either_form_answers_like_a_dictionary(int count)
    {
        var pairs = Enumerable.Range(0, count).Select(i => new KeyValuePair<string, int>("k" + i, i)).ToArray();
        IReadOnlyDictionary<string, int> map = FrozenMap<int>.Own(pairs);
        var expected = pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        Assert.Equal(count, map.Count);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), map.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), map.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Values.Order(), map.Values.Order());
        foreach (var (key, value) in expected)
        {
            Assert.True(map.ContainsKey(key));
            Assert.Equal(value, map[key]);
        }

        Assert.False(map.ContainsKey("K0"));
        Assert.False(map.TryGetValue("missing", out _));
        Assert.Throws<KeyNotFoundException>(() => map["missing"]);
        Assert.Throws<ArgumentNullException>(() => map.ContainsKey(null!));
        Assert.IsNotAssignableFrom<IDictionary<string, int>>(map);
    }

    [Fact]
    public async Task A_bag_growing_past_the_small_form_and_shrinking_back_keeps_every_value()
    {
        await using var app = await TestApp.StartAsync(map: a =>
        {
            a.MapPost("/bag/{from:int}/{to:int}", (HttpContext c, int from, int to) =>
            {
                for (var i = from; i < to; i++)
                {
                    c.Session.SetString("k" + i, "v" + i);
                }

                return "ok";
            });
            a.MapPost("/bag/remove/{from:int}/{to:int}", (HttpContext c, int from, int to) =>
            {
                for (var i = from; i < to; i++)
                {
                    c.Session.Remove("k" + i);
                }

                return "ok";
            });
            a.MapGet("/bag", (HttpContext c) => string.Join(",", c.Session.Keys.Order(StringComparer.Ordinal).Select(k => k + "=" + c.Session.GetString(k))));
        });
        using var client = app.Client();
        var cookie = await LoginAsync(client, "alice");

        // 3 keys (small), then 12 (a dictionary), then 12 - 7 = 5 (small again), each committed and read back.
        Assert.Equal(Expected(0, 3), await StepAsync("/bag/0/3"));
        Assert.Equal(Expected(0, 12), await StepAsync("/bag/3/12"));
        Assert.Equal(Expected(7, 12), await StepAsync("/bag/remove/0/7"));
        var record = Assert.Single(await SignInSignOutTests.ToListAsync(app.Store.Inner.ListByUserAsync("alice", TestContext.Current.CancellationToken)));
        Assert.Equal("v9", Encoding.UTF8.GetString(record.Data["k9"].Span));
        Assert.Equal(5, record.Data.Count);

        async Task<string> StepAsync(string path)
        {
            (await PostAsync(client, path, cookie)).Dispose();
            using var read = await GetAsync(client, "/bag", cookie);
            return await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }

        static string Expected(int from, int to) =>
            string.Join(",", Enumerable.Range(from, to - from).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).Select(k => k + "=v" + k[1..]));
    }
}
