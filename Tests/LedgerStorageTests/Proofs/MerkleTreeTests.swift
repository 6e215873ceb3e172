import Testing
@testable import LedgerStorage

/// RFC 9162 tree hashes and proofs: the Certificate Transparency reference vectors, every proof
/// of small trees verifying, and forged proofs refused with a reason.
@Suite struct MerkleTreeTests {
    /// The 8-leaf test tree of RFC 6962 / Certificate Transparency (transparency-dev/merkle).
    static let leaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f"].map(hex)
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map { TreeHash(hex: $0)! }

    static func referenceTree(_ algorithm: LogHashAlgorithm = .sha256) -> InMemoryMerkleTree {
        var tree = InMemoryMerkleTree(algorithm: algorithm)
        for leaf in leaves { tree.append(record: leaf) }
        return tree
    }

    static func tree(size: Int, algorithm: LogHashAlgorithm = .sha256) -> InMemoryMerkleTree {
        var tree = InMemoryMerkleTree(algorithm: algorithm)
        for index in 0..<size { tree.append(record: Array("leaf \(index)".utf8)) }
        return tree
    }

    @Test func treeHeadsMatchTheCertificateTransparencyVectors() {
        let tree = Self.referenceTree()
        #expect(tree.root(size: 0) == TreeHash(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        for size in 1...8 { #expect(tree.root(size: UInt64(size)) == Self.roots[size - 1], "size \(size)") }
    }

    @Test func inclusionProofsMatchTheReferenceVectors() {
        let tree = Self.referenceTree()
        let vectors: [(index: UInt64, size: UInt64, proof: [String])] = [
            (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
            (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        ]
        for vector in vectors {
            let proof = tree.inclusionProof(index: vector.index, size: vector.size)
            #expect(proof == vector.proof.map { TreeHash(hex: $0)! }, "leaf \(vector.index) of \(vector.size)")
            #expect(throws: Never.self) {
                try MerkleTree.verifyInclusion(leafHash: TreeHasher(.sha256).leaf(Self.leaves[Int(vector.index)]),
                                               index: vector.index, size: vector.size, proof: proof,
                                               root: Self.roots[Int(vector.size) - 1], algorithm: .sha256)
            }
        }
    }

    @Test func consistencyProofsMatchTheReferenceVectors() {
        let tree = Self.referenceTree()
        let vectors: [(old: UInt64, new: UInt64, proof: [String])] = [
            (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
            (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
            (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
            (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        ]
        for vector in vectors {
            let proof = tree.consistencyProof(old: vector.old, new: vector.new)
            #expect(proof == vector.proof.map { TreeHash(hex: $0)! }, "\(vector.old) → \(vector.new)")
            #expect(throws: Never.self) {
                try MerkleTree.verifyConsistency(oldSize: vector.old, newSize: vector.new, oldRoot: Self.roots[Int(vector.old) - 1],
                                                 newRoot: Self.roots[Int(vector.new) - 1], proof: proof, algorithm: .sha256)
            }
        }
    }

    @Test(arguments: LogHashAlgorithm.allCases)
    func everyInclusionProofOfEveryLeafOfTreesUpTo300Verifies(algorithm: LogHashAlgorithm) {
        let tree = Self.tree(size: 300, algorithm: algorithm)
        let hasher = TreeHasher(algorithm)
        var failures = 0, forgeriesAccepted = 0
        var random = SeededBytes(seed: 300)
        for size in UInt64(1)...300 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                let leaf = hasher.leaf(Array("leaf \(index)".utf8))
                func verifies(_ proof: [TreeHash]) -> Bool {
                    (try? MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root,
                                                     algorithm: algorithm)) != nil
                }
                if !verifies(proof) { failures += 1 }
                // One bit flipped in one element (which: seeded); every bit of every element is
                // flipped in the exhaustive test below, on smaller trees.
                if !proof.isEmpty {
                    var forged = proof
                    let element = Int(random.next() % UInt64(proof.count))
                    forged[element] = forged[element].flipping(bit: Int(random.next() % 256))
                    if verifies(forged) { forgeriesAccepted += 1 }
                }
            }
        }
        #expect(failures == 0)
        #expect(forgeriesAccepted == 0)
    }

    @Test(arguments: LogHashAlgorithm.allCases)
    func everyConsistencyProofBetweenEveryPairOfSizesUpTo64Verifies(algorithm: LogHashAlgorithm) {
        let tree = Self.tree(size: 64, algorithm: algorithm)
        var failures: [String] = [], forgeriesAccepted: [String] = []
        var random = SeededBytes(seed: 64)
        for new in UInt64(0)...64 {
            for old in 0...new {
                let proof = tree.consistencyProof(old: old, new: new)
                func verifies(_ proof: [TreeHash]) -> Bool {
                    (try? MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: tree.root(size: old),
                                                       newRoot: tree.root(size: new), proof: proof, algorithm: algorithm)) != nil
                }
                if !verifies(proof) { failures.append("\(old)→\(new)") }
                for element in proof.indices {
                    var forged = proof
                    forged[element] = forged[element].flipping(bit: Int(random.next() % 256))
                    if verifies(forged) { forgeriesAccepted.append("\(old)→\(new) [\(element)]") }
                }
            }
        }
        #expect(failures.isEmpty)
        #expect(forgeriesAccepted.isEmpty)
    }

    /// Every single-bit change of the proof, the leaf or the root, for every leaf of every tree
    /// up to 16 leaves (all 256 bits of each hash), is refused.
    @Test func everySingleBitChangeOfAnInclusionProofIsRefused() {
        let tree = Self.tree(size: 16)
        let hasher = TreeHasher(.sha256)
        var accepted: [String] = []
        for size in UInt64(1)...16 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let leaf = hasher.leaf(Array("leaf \(index)".utf8))
                let proof = tree.inclusionProof(index: index, size: size)
                func refused(_ proof: [TreeHash], leaf: TreeHash, root: TreeHash) -> Bool {
                    (try? MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root,
                                                     algorithm: .sha256)) == nil
                }
                for bit in 0..<256 {
                    for element in proof.indices {
                        var forged = proof
                        forged[element] = forged[element].flipping(bit: bit)
                        if !refused(forged, leaf: leaf, root: root) { accepted.append("\(index)/\(size) proof[\(element)] bit \(bit)") }
                    }
                    if !refused(proof, leaf: leaf.flipping(bit: bit), root: root) { accepted.append("\(index)/\(size) leaf bit \(bit)") }
                    if !refused(proof, leaf: leaf, root: root.flipping(bit: bit)) { accepted.append("\(index)/\(size) root bit \(bit)") }
                }
            }
        }
        #expect(accepted.isEmpty)
    }

    /// Every single-bit change of every consistency proof between sizes up to 16, or of either
    /// root, is refused.
    @Test func everySingleBitChangeOfAConsistencyProofIsRefused() {
        let tree = Self.tree(size: 16)
        var accepted: [String] = []
        for new in UInt64(2)...16 {
            for old in 1..<new {
                let proof = tree.consistencyProof(old: old, new: new)
                let oldRoot = tree.root(size: old), newRoot = tree.root(size: new)
                func refused(_ proof: [TreeHash], _ oldRoot: TreeHash, _ newRoot: TreeHash) -> Bool {
                    (try? MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot, newRoot: newRoot,
                                                       proof: proof, algorithm: .sha256)) == nil
                }
                for bit in 0..<256 {
                    for element in proof.indices {
                        var forged = proof
                        forged[element] = forged[element].flipping(bit: bit)
                        if !refused(forged, oldRoot, newRoot) { accepted.append("\(old)→\(new) proof[\(element)] bit \(bit)") }
                    }
                    if !refused(proof, oldRoot.flipping(bit: bit), newRoot) { accepted.append("\(old)→\(new) old root bit \(bit)") }
                    if !refused(proof, oldRoot, newRoot.flipping(bit: bit)) { accepted.append("\(old)→\(new) new root bit \(bit)") }
                }
            }
        }
        #expect(accepted.isEmpty)
    }

    @Test func forgedInclusionProofsAreRefusedWithAReason() throws {
        let tree = Self.tree(size: 100)
        let hasher = TreeHasher(.sha256)
        let index: UInt64 = 37, size: UInt64 = 100
        let proof = tree.inclusionProof(index: index, size: size)
        let leaf = hasher.leaf(Array("leaf 37".utf8)), root = tree.root(size: size)
        func reason(_ proof: [TreeHash], index: UInt64 = 37, size: UInt64 = 100, root: TreeHash? = nil) -> String? {
            do {
                try MerkleTree.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root ?? tree.root(size: size),
                                               algorithm: .sha256)
                return nil
            } catch { return error.reason }
        }
        #expect(reason(proof) == nil)
        var wrongSibling = proof
        wrongSibling[2] = tree.inclusionProof(index: 0, size: size)[2]
        #expect(reason(wrongSibling)?.contains("leads to root") == true)
        var swapped = proof
        swapped.swapAt(0, 1)
        #expect(reason(swapped)?.contains("swapped order") == true)
        #expect(reason(proof, size: 200, root: root) != nil)
        #expect(reason(proof, size: 64, root: tree.root(size: 64)) != nil)
        #expect(reason(Array(proof.dropLast()))?.contains("truncated") == true)
        #expect(reason(proof + [root])?.contains("padded") == true)
        #expect(reason([root] + proof)?.contains("padded") == true)
        #expect(reason(proof, index: 38) != nil)
        #expect(reason(proof, index: 100)?.contains("not in a tree") == true)
        #expect(reason([], index: 0, size: 0, root: root)?.contains("not in a tree") == true)
    }

    @Test func forgedConsistencyProofsAreRefusedWithAReason() {
        let tree = Self.tree(size: 50)
        let proof = tree.consistencyProof(old: 21, new: 50)
        let oldRoot = tree.root(size: 21), newRoot = tree.root(size: 50)
        func reason(_ proof: [TreeHash], old: UInt64 = 21, new: UInt64 = 50, oldRoot: TreeHash? = nil, newRoot: TreeHash? = nil) -> String? {
            do {
                try MerkleTree.verifyConsistency(oldSize: old, newSize: new, oldRoot: oldRoot ?? tree.root(size: old),
                                                 newRoot: newRoot ?? tree.root(size: new), proof: proof, algorithm: .sha256)
                return nil
            } catch { return error.reason }
        }
        #expect(reason(proof) == nil)
        #expect(reason(proof, oldRoot: newRoot, newRoot: oldRoot) != nil)
        var swapped = proof
        swapped.swapAt(0, 1)
        #expect(reason(swapped) != nil)
        #expect(reason(Array(proof.dropLast()))?.contains("truncated") == true)
        #expect(reason(proof + [newRoot])?.contains("padded") == true)
        #expect(reason(proof, old: 22) != nil)
        #expect(reason(proof, new: 49) != nil)
        #expect(reason(proof, old: 51, new: 50, oldRoot: oldRoot, newRoot: newRoot)?.contains("never shrinks") == true)
        #expect(reason([], old: 21, new: 21, oldRoot: oldRoot, newRoot: newRoot)?.contains("rewritten") == true)
        // A rewritten history: another tree whose first 21 leaves differ in one record.
        var rewritten = InMemoryMerkleTree(algorithm: .sha256)
        for index in 0..<50 { rewritten.append(record: Array((index == 3 ? "forged" : "leaf \(index)").utf8)) }
        let forgedProof = rewritten.consistencyProof(old: 21, new: 50)
        #expect(reason(forgedProof, newRoot: rewritten.root(size: 50))?.contains("old root") == true)
    }

    @Test func sm3TreesDifferFromSHA256TreesAndUseSM3() {
        let sha = Self.referenceTree(.sha256), sm3 = Self.referenceTree(.sm3)
        #expect(sha.root() != sm3.root())
        #expect(TreeHasher(.sm3).leaf([]) == TreeHash(bytes: SM3.hash([0])))
        #expect(sm3.root(size: 1) == TreeHash(bytes: SM3.hash([0])))
        #expect(sm3.root(size: 2) == TreeHash(bytes: SM3.hash([1] + SM3.hash([0]) + SM3.hash([0, 0]))))
    }
}
