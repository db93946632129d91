using System.Text;

namespace Cossistant.Client.Tests.Visitors;

/// <summary>The shipped visitor-id stores: in memory (the default) and file-backed.</summary>
public sealed class VisitorIdStoreTests : IDisposable
{
    private const string VisitorA = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
    private const string VisitorB = "01BX5ZZKBKACTAV9WEVGEMMVRZ";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("cossistant-visitor-tests-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task InMemoryGet_NoInitialValue_ReturnsNull()
    {
        var store = new InMemoryVisitorIdStore();

        Assert.Null(await store.GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task InMemoryGet_InitialValue_ReturnsIt()
    {
        var store = new InMemoryVisitorIdStore(VisitorA);

        Assert.Equal(VisitorA, await store.GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task InMemorySet_ThenGet_ReturnsLatest()
    {
        var store = new InMemoryVisitorIdStore(VisitorA);

        await store.SetVisitorIdAsync(VisitorB, Token);

        Assert.Equal(VisitorB, await store.GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task InMemorySet_EmptyOrNull_ThrowsAndKeepsValue()
    {
        var store = new InMemoryVisitorIdStore(VisitorA);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetVisitorIdAsync("", Token));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SetVisitorIdAsync(null!, Token));

        Assert.Equal(VisitorA, await store.GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task InMemorySet_CancelledToken_ThrowsAndKeepsValue()
    {
        var store = new InMemoryVisitorIdStore(VisitorA);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await store.SetVisitorIdAsync(VisitorB, new CancellationToken(canceled: true)));

        Assert.Equal(VisitorA, await store.GetVisitorIdAsync(Token));
    }

    [Fact]
    public void FileConstructor_EmptyPath_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FileVisitorIdStore(" "));
        Assert.Throws<ArgumentNullException>(() => new FileVisitorIdStore(null!));
    }

    [Fact]
    public async Task FileGet_FileAbsent_ReturnsNull()
    {
        var store = new FileVisitorIdStore(Path.Combine(_directory.FullName, "visitor-id"));

        Assert.Null(await store.GetVisitorIdAsync(Token));
        Assert.False(File.Exists(store.FilePath));
    }

    [Fact]
    public async Task FileSet_ThenGetFromAnotherInstance_RoundTrips()
    {
        var path = Path.Combine(_directory.FullName, "visitor-id");
        await new FileVisitorIdStore(path).SetVisitorIdAsync(VisitorA, Token);

        var reopened = new FileVisitorIdStore(path);

        Assert.Equal(VisitorA, await reopened.GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task FileSet_Twice_LastValueWinsAcrossInstances()
    {
        var path = Path.Combine(_directory.FullName, "visitor-id");
        var first = new FileVisitorIdStore(path);
        await first.SetVisitorIdAsync(VisitorA, Token);
        await new FileVisitorIdStore(path).SetVisitorIdAsync(VisitorB, Token);

        Assert.Equal(VisitorB, await first.GetVisitorIdAsync(Token));
        Assert.Equal(VisitorB, await File.ReadAllTextAsync(path, Token));
    }

    [Fact]
    public async Task FileSet_MissingFolders_CreatesThem()
    {
        var path = Path.Combine(_directory.FullName, "a", "b", "c", "visitor-id.txt");
        var store = new FileVisitorIdStore(path);

        await store.SetVisitorIdAsync(VisitorA, Token);

        Assert.True(File.Exists(path));
        Assert.Equal(VisitorA, await new FileVisitorIdStore(path).GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task FileSet_SeveralWrites_LeavesNoTemporaryFiles()
    {
        var path = Path.Combine(_directory.FullName, "sub", "visitor-id");
        var store = new FileVisitorIdStore(path);

        await store.SetVisitorIdAsync(VisitorA, Token);
        await store.SetVisitorIdAsync(VisitorB, Token);
        await store.SetVisitorIdAsync(VisitorA, Token);

        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal([path], Directory.GetFiles(_directory.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task FileSet_EmptyOrNull_ThrowsAndWritesNothing()
    {
        var path = Path.Combine(_directory.FullName, "visitor-id");
        var store = new FileVisitorIdStore(path);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetVisitorIdAsync("", Token));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.SetVisitorIdAsync(null!, Token));

        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_directory.FullName, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task FileGet_FileWrittenByHandWithNewline_ReturnsTrimmedId()
    {
        var path = Path.Combine(_directory.FullName, "visitor-id");
        await File.WriteAllTextAsync(path, VisitorA + "\n", Encoding.UTF8, Token);

        Assert.Equal(VisitorA, await new FileVisitorIdStore(path).GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task FileGet_WhitespaceOnlyFile_ReturnsNull()
    {
        var path = Path.Combine(_directory.FullName, "visitor-id");
        await File.WriteAllTextAsync(path, " \r\n", Encoding.UTF8, Token);

        Assert.Null(await new FileVisitorIdStore(path).GetVisitorIdAsync(Token));
    }

    [Fact]
    public async Task FileSet_ConcurrentWritersAndReaders_LeavesOneWrittenIdIntact()
    {
        const int Writers = 8;
        const int WritesPerWriter = 25;
        var path = Path.Combine(_directory.FullName, "shared", "visitor-id");
        var ids = Enumerable.Range(0, Writers).Select(MakeId).ToArray();
        using var stop = new CancellationTokenSource();
        var seenByReaders = new System.Collections.Concurrent.ConcurrentBag<string?>();

        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var store = new FileVisitorIdStore(path);
            while (!stop.IsCancellationRequested)
            {
                seenByReaders.Add(await store.GetVisitorIdAsync(Token));
            }
        }, Token)).ToArray();
        var writers = ids.Select(id => Task.Run(async () =>
        {
            var store = new FileVisitorIdStore(path); // one instance per writer, as separate processes would have
            for (var i = 0; i < WritesPerWriter; i++)
            {
                await store.SetVisitorIdAsync(id, Token);
            }
        }, Token)).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var final = await new FileVisitorIdStore(path).GetVisitorIdAsync(Token);
        Assert.Contains(final, ids);
        Assert.Equal(final, await File.ReadAllTextAsync(path, Token));
        Assert.All(seenByReaders, seen => Assert.True(seen is null || ids.Contains(seen), $"reader saw a mix: {seen}"));
        Assert.Empty(Directory.GetFiles(_directory.FullName, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>A distinct 26-character ULID-shaped id per writer, all of the same length so a mix would show.</summary>
    private static string MakeId(int index) => "01" + new string((char)('A' + index), 24);
}
