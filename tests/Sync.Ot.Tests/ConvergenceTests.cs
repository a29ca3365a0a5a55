using FsCheck.Fluent;
using Sync.Crdt.TestSupport;

namespace Sync.Ot.Tests;

public class ConvergenceTests
{
    [Fact]
    public void Simulation_RandomEditsAndDelays_AllClientsConvergeToServer()
    {
        PropertyCheck.ForAll(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(2, 5)), t =>
        {
            (int seed, int clients) = t;
            var simulation = new NetworkSimulation(seed, clients, "start ✓ 😀");
            simulation.Run(80);

            AssertConverged(simulation, $"seed {seed}, {clients} clients");
            Assert.Equal(0, simulation.Resyncs);
        }, iterations: 150);
    }

    [Fact]
    public void Simulation_TinyHistoryLimit_LaggingClientsResyncAndStillConverge()
    {
        int totalResyncs = 0;
        for (int seed = 0; seed < 30; seed++)
        {
            var simulation = new NetworkSimulation(seed, 4, "abc", maxDelay: 30, historyLimit: 2);
            simulation.Run(80);
            AssertConverged(simulation, $"seed {seed}");
            totalResyncs += simulation.Resyncs;
        }

        Assert.True(totalResyncs > 0, "the scenario should force at least one resync");
    }

    [Fact]
    public void Simulation_ManySteps_ExercisesEveryClientState()
    {
        var simulation = new NetworkSimulation(12345, 5, string.Empty, maxDelay: 40);
        simulation.Run(600);

        AssertConverged(simulation, "seed 12345");
        Assert.True(simulation.AcceptedOperations > 50, $"accepted {simulation.AcceptedOperations}");
        Assert.True(simulation.Undos > 10, $"undos {simulation.Undos}");
        Assert.Equal(3, simulation.StatesSeen.Count);
    }

    private static void AssertConverged(NetworkSimulation simulation, string label)
    {
        string expected = simulation.Server.Document;
        foreach (OtClient client in simulation.Clients)
        {
            Assert.True(client.State == ClientState.Synchronized, $"{label}: {client.ClientId} is {client.State}");
            Assert.True(expected == client.Document, $"{label}: {client.ClientId} has \"{client.Document}\", server has \"{expected}\"");
            Assert.Equal(simulation.Server.Revision, client.Revision);
        }
    }
}
