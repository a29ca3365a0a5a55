using System;

Console.WriteLine("Sync.Crdt demo: coming with the core types.");
