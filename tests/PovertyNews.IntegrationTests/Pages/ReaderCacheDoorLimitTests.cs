using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Caching;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>The shared app with 1 MB for the door's copies: room for a few dozen pages.</summary>
public sealed class SmallDoorApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:OutputCache:DoorMegabytes", "1"));

/// <summary>The shared app with the door turned off.</summary>
public sealed class NoDoorApp() : SharedNewsApp(b => b.UseSetting("PovertyNews:OutputCache:DoorMegabytes", "0"));

/// <summary>One anonymous reader on a shared app whose data is reset before each test.</summary>
public abstract class DoorTests(SharedNewsApp shared) : IAsyncLifetime
{
    protected HttpClient Reader { get; } = shared.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync()
    {
        Reader.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>What the door holds is bounded; past the bound, and with the door off, the cache still answers.</summary>
public sealed class ReaderCacheDoorLimitTests(SmallDoorApp shared) : DoorTests(shared), IClassFixture<SmallDoorApp>
{
    [Fact]
    public async Task MorePagesThanTheDoorHasRoomFor_TheRestComeFromTheCache()
    {
        var door = shared.Factory.Services.GetRequiredService<ReaderCacheDoor>();
        var served = door.Served;
        const int pages = 100;
        for (var i = 0; i < pages; i++)
        {
            var url = $"/search?q={Uri.EscapeDataString($"协作{i}")}";
            await Reader.GetAsync(url);
            var cached = await Reader.GetAsync(url);
            var third = await Reader.GetAsync(url);

            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
            Assert.NotNull(third.Headers.Age); // from the door or, past its room, from the cache
            Assert.Equal(await cached.Content.ReadAsStringAsync(), await third.Content.ReadAsStringAsync());
        }

        var atDoor = door.Served - served;
        Assert.InRange(atDoor, 1, pages - 1);
    }
    [Fact]
    public async Task FullDoor_CopiesNothing_UntilAnEvictionFreesRoom()
    {
        var door = shared.Factory.Services.GetRequiredService<ReaderCacheDoor>();
        var before = door.Copied;
        for (var i = 0; door.Copied - before == i; i++)
        {
            Assert.InRange(i, 0, 500);
            await ReadTwiceAsync($"/search?q={Uri.EscapeDataString($"帮扶{i}")}");
        }
        // The last cache answer found the door full and took no copy; nor do the next ones.
        var copied = door.Copied;
        for (var i = 0; i < 10; i++)
        {
            await ReadTwiceAsync($"/search?q={Uri.EscapeDataString($"产业{i}")}");
        }
        Assert.Equal(copied, door.Copied);

        // A change to an article's 来源 evicts every search page: their copies make room.
        await shared.Factory.WithDbAsync(async db =>
        {
            (await db.Articles.SingleAsync(a => a.Slug == "jinan-xiangxi-delegation")).Source = "湘西州融媒体中心";
            await db.SaveChangesAsync();
        });
        var served = door.Served;
        await ReadTwiceAsync("/search?q=湘西");
        (await Reader.GetAsync("/search?q=湘西")).EnsureSuccessStatusCode();

        Assert.Equal(copied + 1, door.Copied);
        Assert.Equal(served + 1, door.Served);
    }

    /// <summary>A render, then the cache's answer, which the door copies if it has room.</summary>
    private async Task ReadTwiceAsync(string url)
    {
        (await Reader.GetAsync(url)).EnsureSuccessStatusCode();
        var cached = await Reader.GetAsync(url);
        cached.EnsureSuccessStatusCode();
        Assert.NotNull(cached.Headers.Age);
    }

    [Fact]
    public async Task PageLargerThanAnEighthOfTheDoor_IsNotCopied_TheCacheAnswersIt()
    {
        var door = shared.Factory.Services.GetRequiredService<ReaderCacheDoor>();
        var channel = await shared.Factory.WithDbAsync(db => db.Channels.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        // About 180 KB of text: more than 1 MB / 8, less than the cache's own limit.
        var paragraph = string.Concat(Enumerable.Repeat("东西部协作助力湘西产业发展。", 20));
        var article = new ArticleBuilder(channel, "长篇报道").Body(Enumerable.Repeat(paragraph, 200).ToArray()).Build();
        await shared.Factory.WithDbAsync(async db =>
        {
            db.Articles.Add(article);
            await db.SaveChangesAsync();
        });
        var served = door.Served;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await Reader.GetAsync($"/articles/{article.Id}/{article.Slug}"));
        }

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.True((await answers[3].Content.ReadAsByteArrayAsync()).Length > 128 * 1024);
        Assert.Equal([false, true, true, true], answers.Select(a => a.Headers.Age is not null));
        Assert.Equal(served, door.Served);

        // A page of ordinary size is copied as before.
        for (var i = 0; i < 3; i++)
        {
            (await Reader.GetAsync("/")).EnsureSuccessStatusCode();
        }
        Assert.Equal(served + 1, door.Served);
    }
}

public sealed class ReaderCacheDoorOffTests(NoDoorApp shared) : DoorTests(shared), IClassFixture<NoDoorApp>
{
    [Fact]
    public async Task DoorOff_EveryReadTakesThePipeline_AndTheCacheStillAnswers()
    {
        var door = shared.Factory.Services.GetRequiredService<ReaderCacheDoor>();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await Reader.GetAsync("/"));
        }

        Assert.Equal(0, door.Served);
        Assert.Equal([false, true, true, true], answers.Select(a => a.Headers.Age is not null));
    }
}
