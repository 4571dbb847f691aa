/** `atomenv --help`. */
export const MAIN_HELP = `atomenv: atomic-environment descriptors for machine-learning interatomic potentials

Usage:
  atomenv compute --config DESC.json [options] STRUCTURE_FILE
  atomenv kernel --config DESC.json [--kernel average|rematch] [options] FILE...
  atomenv serve --port P [--host H] [--workers N] [limits]
  atomenv predict (--model MODEL.json | --potential DIR) [options] STRUCTURE_FILE
  atomenv md (--potential DIR | --model MODEL.json) --dt FS --steps N [options] START_FILE
  atomenv help [compute | kernel | serve | predict | md]
  atomenv --help | -h
  atomenv --version | -v

Commands:
  compute   compute a descriptor (ACSF, SOAP, CACE, n2p2 symmetry functions) for
            every frame of a structure file and write the values, optionally
            with derivatives, as JSON or .npy
  kernel    compute a descriptor for every frame of the structure files and
            write the frames x frames similarity matrix (average or REMatch
            kernel, as DScribe's kernels module)
  serve     the HTTP API of 'atomenv/serverless' on Node's http server
  predict   energies, per-atom energies, forces and stress of every frame with
            a CACE model or an n2p2 potential
  md        molecular dynamics with a CACE model or an n2p2 potential, written
            as an extxyz trajectory

Run 'atomenv help COMMAND' (or 'atomenv COMMAND --help') for the flags, the config format and
the output formats. Exit codes: 0 success, 1 bad input or a failed frame, 2 bad usage.
Set ATOMENV_DEBUG=1 to see stack traces of internal errors.
`;

/** `atomenv compute --help`. */
export const COMPUTE_HELP = `Usage: atomenv compute --config DESC.json [options] STRUCTURE_FILE

Computes a descriptor for every frame of STRUCTURE_FILE (extxyz, xyz, POSCAR or
n2p2 input.data; detected from the name and content). Multi-frame files are read
frame by frame; on a terminal, progress is shown on stderr.

Options:
  -c, --config FILE       descriptor settings (JSON, see below); required
      --centers JSON      atom indices of the centres, e.g. '[0,3,5]', used for
                          every frame (default: every atom, in order)
  -d, --derivatives       also write the derivatives of the values with respect
                          to every atom position: [centres, atoms, 3, features]
      --attach            with --derivatives: each centre moves with its atom
                          (DScribe's attach=True; what forces need)
  -f, --format FMT        json or npy (default: npy when -o ends in .npy,
                          otherwise json)
      --input-format FMT  extxyz, xyz, poscar or n2p2, when detection is wrong
  -o, --output FILE       where to write; '-' for JSON on stdout. Without -o,
                          JSON goes to stdout, except on a terminal, where a
                          summary is printed instead of the data
      --summary           print a summary (frames, atoms, centres, features,
                          value min/max/mean, time, peak memory, files
                          written) to stdout, or to stderr when the data goes
                          to stdout
  -w, --workers N         compute the frames on N worker threads (results stay
                          in input order; .npy output is streamed to disk, so
                          a file of any number of frames fits in memory)
  -h, --help              show this help

Config (--config): a JSON object naming the descriptor, with the options of its
constructor in the library API (camelCase). Descriptors: acsf, soap
(e.g. {"descriptor": "soap", "species": ["H", "O"], "rCut": 5, "nMax": 8,
"lMax": 6, "sigma": 0.5, "periodic": true}), cace ({"descriptor": "cace",
"model": "model.json"}, a CACE model file) and n2p2 ({"descriptor": "n2p2",
"inputNn": "input.nn"}, the symmetry functions of an n2p2 potential); file
names are read relative to the config. Example:
  {
    "descriptor": "acsf",
    "species": ["H", "O"],
    "rCut": 6,
    "periodic": true,
    "g2Params": [[0.003214, 0], [0.035711, 0], [0.071421, 0]],
    "g4Params": [[0.000357, 1, -1], [0.028569, 1, 1]]
  }
acsf options: species (symbols or atomic numbers), rCut (Å, > 0), g2Params
([η, R_s] rows), g3Params ([κ, ...]), g4Params and g5Params ([η, ζ, λ] rows),
periodic (default false). Unknown keys are errors.

Output, one frame (C-order flat values):
  json  {"shape": [centres, features], "values": [...],
         "derivatives": {"shape": [centres, atoms, 3, features], "values": [...]}}
        ("derivatives" only with --derivatives)
  npy   OUT.npy              values [centres, features], float64
        OUT.derivatives.npy  derivatives [centres, atoms, 3, features]
  (OUT is the -o path without its .npy ending.)

Output, several frames: the values of all frames are concatenated; frame k owns
rows frame_offsets[k] to frame_offsets[k+1] (centres = atoms unless --centers).
  json  {"frames": N, "shape": [total centres, features], "values": [...],
         "frame_offsets": [0, n0, n0+n1, ..., total],
         "failed": [{"frame": k, "stage": "read"|"compute", "code": "...",
                     "message": "..."}, ...],
         "derivatives": [{"shape": [nk, atoms_k, 3, features], "values": [...]}
                         or null for a failed frame, one per frame]}
  npy   OUT.npy                  values [total centres, features], float64
        OUT.frame_offsets.npy    int32 [N + 1]
        OUT.failed.npy           int32 indices of the failed frames (may be empty)
        OUT.derivatives.K.npy    derivatives of frame K, one file per frame that
                                 succeeded (with --derivatives)
npy cannot be written to stdout.

Failed frames: a frame the descriptor rejects (e.g. an element not in species,
overlapping atoms) is reported on stderr, owns no rows (equal offsets), is listed
in "failed", and the run continues. A frame that cannot be parsed also ends the
reading: the frames before it are written. The exit code is 1 if any frame
failed. If the first frame cannot be read, or a one-frame input fails, nothing
is written.

Examples:
  atomenv compute -c examples/acsf.json examples/water_64mol.extxyz
  atomenv compute -c examples/acsf.json -d -o acsf.npy examples/water_64mol.extxyz
  atomenv compute -c desc.json --centers '[0,1]' -o - frames.extxyz > out.json
`;

/** `atomenv kernel --help`. */
export const KERNEL_HELP = `Usage: atomenv kernel --config DESC.json [--kernel average|rematch] [options]
                      STRUCTURE_FILE...

Computes the descriptor of DESC.json (the config of 'atomenv compute') for every
atom of every frame of the structure files, then the similarity K[i][j] of every
pair of frames (structures), in the order of the files and of their frames, and
writes the N x N matrix (N = all frames of all files). The kernels are DScribe's:
  average   K(A, B) = mean over environments i of A, j of B of C_ij
  rematch   K(A, B) = sum_ij P_ij C_ij, P the regularised-entropy match (Sinkhorn
            on exp(-(1 - C)/alpha), row sums 1/N_A, column sums 1/N_B)
normalised to K(A, B) / sqrt(K(A, A) K(B, B)), with C_ij = k(a_i, b_j) the
similarity of two atoms' feature vectors under --metric.

Options:
  -c, --config FILE       descriptor settings (JSON, as for 'atomenv compute');
                          required
  -k, --kernel NAME       average (default) or rematch
      --metric NAME       local similarity k(x, y): dot (default; normalised dot
                          product (x.y / |x||y|)^zeta), linear (x.y), polynomial
                          ((gamma x.y + coef0)^degree), rbf (exp(-gamma |x - y|^2))
      --gamma G           polynomial and rbf (default 1/features, > 0)
      --degree D          polynomial (default 3)
      --coef0 C0          polynomial (default 1)
      --zeta Z            dot (default 1, > 0)
      --alpha A           rematch: entropic regularisation (default 0.1, > 0);
                          small: best match, large: average kernel
      --threshold T       rematch: Sinkhorn convergence threshold (default 1e-6)
      --no-normalize      write K(A, B) without dividing by sqrt(K(A, A) K(B, B))
  -f, --format FMT        json or npy (default: npy when -o ends in .npy,
                          otherwise json)
      --input-format FMT  extxyz, xyz, poscar or n2p2, when detection is wrong
  -o, --output FILE       where to write; '-' for JSON on stdout. Without -o,
                          JSON goes to stdout, except on a terminal, where a
                          summary is printed instead of the data
      --summary           print a summary (structures, settings, off-diagonal
                          min/max/mean, time, files written) to stdout, or to
                          stderr when the data goes to stdout
  -h, --help              show this help

Output (C-order flat values; row and column k are the k-th frame read):
  json  {"shape": [N, N], "values": [...],
         "structures": [{"file": "...", "frame": f, "atoms": n}, ...]}
  npy   OUT.npy  the matrix [N, N], float64 (no other file)
npy cannot be written to stdout.

A frame that cannot be read or computed, or a REMatch that does not converge,
stops the run with exit code 1 and nothing is written.

Examples:
  atomenv kernel -c examples/acsf.json frames.extxyz
  atomenv kernel -c desc.json -k rematch --alpha 0.5 -o K.npy a.extxyz b.extxyz
`;

/** `atomenv serve --help`. */
export const SERVE_HELP = `Usage: atomenv serve --port P [--host H] [--workers N] [limits]

Serves the atomenv HTTP API (the handler of 'atomenv/serverless') on Node's http
server until SIGINT or SIGTERM, which stop new connections and let requests in
flight finish (up to 10 s). Prints "atomenv serve: listening on http://H:P ..."
on stdout once it accepts connections.

Options:
  -p, --port P                 TCP port (required; 0 picks a free port, shown
                               in the listening line)
      --host H                 address to listen on (default 127.0.0.1; 0.0.0.0
                               for every interface)
  -w, --workers N              compute the requests on a pool of N worker
                               threads, 1 to 256, started with the first
                               request (default: in the server's thread)
      --max-body-bytes B       largest request body (default 2097152, 2 MiB)
      --max-atoms A            most atoms per structure (default 5000)
      --max-output-values V    most values per result, rows x features (default
                               1048576)
      --max-neighbour-pairs N  most centre-neighbour pairs, estimated from the
                               number density (default 500000)
      --max-cutoff R           largest neighbour cutoff in Angstrom: ACSF rCut,
                               SOAP rCut + ~3.7 sigma (default 12)
      --max-nmax N             largest SOAP nMax (default 10)
  -h, --help                   show this help

Routes:
  POST /v1/compute   body (Content-Type: application/json):
                       {"config": {"descriptor": "acsf" | "soap", ...options},
                        "structure": "<extxyz, xyz, POSCAR or n2p2 text, one frame>"
                                     or {"symbols" | "numbers", "positions",
                                         "cell"?, "pbc"?},
                        "format"?: "extxyz" | "xyz" | "poscar" | "n2p2",
                        "centers"?: [atom indices, or [x, y, z] points for SOAP]}
                     answers {"shape": [rows, features], "values": [...]}, or .npy
                     bytes with 'Accept: application/octet-stream' (float32 for
                     a SOAP config with "dtype": "float32")
  GET  /v1/health    {"status": "ok", "limits": {...}, "memory": {"rss", ...},
                      "workers": N}

Errors are JSON {"error": {"code": "...", "message": "..."}}: 400 malformed
request, 404 unknown route, 405 wrong method, 413 above a limit (body, atoms,
result size, neighbour pairs, cutoff, nMax), 415 body not JSON, 422 bad config, structure or centres (the
atomenv error code, e.g. INVALID_PARAMETER, PARSE_ERROR), 500 internal error
(logged on stderr, never sent).

Examples:
  atomenv serve --port 8080
  curl -s localhost:8080/v1/compute -H 'content-type: application/json' \\
       -d '{"config": {"descriptor": "acsf", "species": ["H"], "rCut": 3},
            "structure": {"symbols": ["H", "H"], "positions": [[0,0,0], [0,0,0.74]]}}'
`;

/** `atomenv predict --help`. */
export const PREDICT_HELP = `Usage: atomenv predict (--model MODEL.json | --potential DIR) [options] STRUCTURE_FILE

Energies, per-atom energies and forces (and stress for cells periodic on every
axis) of every frame of STRUCTURE_FILE (extxyz, xyz, POSCAR or n2p2 input.data),
streamed frame by frame.

Options:
  -m, --model FILE        a CACE model with a readout (JSON: hyperparameters and
                          parameters; see the README for exporting one)
  -p, --potential DIR     an n2p2 potential: input.nn, scaling.data and
                          weights.XXX.data (structures in the potential's units,
                          e.g. Bohr for H2O_RPBE-D3)
  -f, --format FMT        json (default) or extxyz (default when -o ends in
                          .xyz or .extxyz)
      --input-format FMT  extxyz, xyz, poscar or n2p2, when detection is wrong
  -o, --output FILE       where to write (default: stdout)
  -h, --help              show this help

JSON output:
  {"structures": [{"energy": E, "atomicEnergies": [...],
                   "forces": [[fx, fy, fz], ...], "stress"?: [[...], ...]}, ...]}
A frame that fails is {"error": {"code", "message"}} in its place (reported on
stderr too; exit code 1). extxyz output repeats each frame with energy= in the
comment line and energies and forces columns.
`;

/** `atomenv md --help`. */
export const MD_HELP = `Usage: atomenv md (--potential DIR | --model MODEL.json) --dt FS --steps N [options] START_FILE

Molecular dynamics by velocity Verlet from the first frame of START_FILE, written
as an extxyz trajectory: the comment line of each frame has step, time_fs,
energy (potential), kinetic_energy, total_energy and temperature_K; the atom
lines have forces and velocities (Å/fs).

Options:
  -p, --potential DIR     an n2p2 potential directory
  -m, --model FILE        a CACE model with a readout
      --dt FS             time step in femtoseconds (required)
      --steps N           number of steps (required)
  -T, --temperature K     initial temperature (Maxwell-Boltzmann velocities,
                          no net momentum) and the thermostat's target;
                          default: start at rest
      --thermostat T      none (NVE, default), berendsen or langevin (BAOAB)
      --tau FS            thermostat time: Berendsen coupling time or Langevin
                          1/friction (default 100)
      --seed S            random seed of the velocities and Langevin noise (1)
      --every N           write every N steps (default 1; step 0 is written)
      --units U           the potential's units: angstrom-ev (default) or
                          bohr-hartree (e.g. H2O_RPBE-D3); positions in the
                          start file and the trajectory are in these units
      --input-format FMT  format of START_FILE when detection is wrong
  -o, --output FILE       trajectory file (default: stdout)
  -w, --workers N         split each step's forces across N worker threads
                          (n2p2 potentials; pays from ~128 atoms on idle cores)
  -h, --help              show this help
`;
