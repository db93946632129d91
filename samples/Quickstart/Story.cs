namespace Quickstart;

/// <summary>Prints each step of the story and counts the ones that did not hold.</summary>
internal sealed class Story
{
    public int Failures { get; private set; }

    public void Check(string what, bool holds)
    {
        Console.WriteLine($"   [{(holds ? "ok" : "FAILED")}] {what}");
        if (!holds)
        {
            Failures++;
        }
    }
}
